"""Unit tests of the rules the emulator enforces (no bot needed)."""

from __future__ import annotations

from typing import Any

import pytest

from fakediscord import ALL_PERMISSIONS, ApiError, Overwrite, Permission, World
from fakediscord.limits import validate_autocomplete, validate_message, validate_modal
from fakediscord.matching import path_matches
from fakediscord.mentions import resolve_pings


def errors_of(body: dict[str, Any], *, creating: bool = True) -> dict[str, Any]:
    with pytest.raises(ApiError) as err:
        validate_message(body, creating=creating)
    assert err.value.status == 400
    assert err.value.code == 50035
    assert err.value.errors is not None
    return err.value.errors


@pytest.mark.parametrize(
    ("embed", "path"),
    [
        ({"title": "t" * 257}, ["0", "title"]),
        ({"description": "d" * 4097}, ["0", "description"]),
        ({"fields": [{"name": "n", "value": "v"}] * 26}, ["0", "fields"]),
        ({"fields": [{"name": "n" * 257, "value": "v"}]}, ["0", "fields", "0", "name"]),
        ({"fields": [{"name": "n", "value": "v" * 1025}]}, ["0", "fields", "0", "value"]),
        ({"footer": {"text": "f" * 2049}}, ["0", "footer", "text"]),
        ({"author": {"name": "a" * 257}}, ["0", "author", "name"]),
    ],
)
def test_embed_limits(embed: dict[str, Any], path: list[str]) -> None:
    node = errors_of({"embeds": [embed]})["embeds"]
    for part in path:
        node = node[part]
    assert node["_errors"][0]["code"] == "BASE_TYPE_MAX_LENGTH"


def test_embed_total_and_count() -> None:
    six = [{"description": "x" * 3000}, {"description": "y" * 3001}]
    assert errors_of({"embeds": six})["embeds"]["_errors"][0]["code"] == "MAX_EMBED_SIZE_EXCEEDED"
    eleven = [{"title": str(i)} for i in range(11)]
    assert "Must be 10 or fewer" in errors_of({"embeds": eleven})["embeds"]["_errors"][0]["message"]
    validate_message({"embeds": [{"description": "x" * 4096}]}, creating=True)


def test_content_components_and_empty() -> None:
    assert "content" in errors_of({"content": "x" * 2001})
    validate_message({"content": "x" * 2000}, creating=True)
    row = {
        "type": 1,
        "components": [
            {"type": 2, "style": 1, "custom_id": str(i), "label": "b"} for i in range(6)
        ],
    }
    assert errors_of({"components": [row]})["components"]["0"]["components"]["_errors"]
    rows = [
        {"type": 1, "components": [{"type": 2, "style": 1, "custom_id": str(i)}]} for i in range(6)
    ]
    assert errors_of({"components": rows})["components"]["_errors"]
    long_id = {"type": 1, "components": [{"type": 2, "style": 1, "custom_id": "c" * 101}]}
    assert errors_of({"components": [long_id]})["components"]["0"]["components"]["0"]["custom_id"]
    v2 = {"flags": 1 << 15, "content": "no", "components": [{"type": 10, "content": "hi"}]}
    assert errors_of(v2)
    with pytest.raises(ApiError) as err:
        validate_message({"content": ""}, creating=True)
    assert err.value.code == 50006
    validate_message({"content": ""}, creating=False)  # an edit may clear content
    mentions = {"content": "x", "allowed_mentions": {"parse": ["users"], "users": ["1"]}}
    assert errors_of(mentions)["allowed_mentions"]


def test_autocomplete_and_modal_limits() -> None:
    with pytest.raises(ApiError):
        validate_autocomplete({"choices": [{"name": str(i), "value": str(i)} for i in range(26)]})
    validate_autocomplete({"choices": []})
    with pytest.raises(ApiError):
        validate_modal({"title": "t" * 46, "custom_id": "m", "components": [{"type": 1}]})


def test_pings_follow_allowed_mentions() -> None:
    content = "<@1> <@!2> <@&3> @everyone"
    assert resolve_pings(content, None).users == {1, 2}  # Discord's default: everything
    assert resolve_pings(content, None).everyone
    assert not resolve_pings(content, {"parse": []})
    only_user = resolve_pings(content, {"parse": [], "users": ["2"]})
    assert only_user.users == {2}
    assert not only_user.roles
    assert not only_user.everyone
    assert resolve_pings(content, {"parse": ["roles"]}).roles == {3}
    assert resolve_pings("hi", {"parse": [], "replied_user": True}, replied_user=9).users == {9}


def test_permissions_with_overwrites() -> None:
    world = World(lambda: 1_700_000_000.0)
    guild = world.add_guild("g", channels=("general", "rules"))
    user = world.add_user("u")
    admin = world.add_user("a")
    mod_role = guild.add_role("mod", permissions=Permission.MANAGE_MESSAGES)
    guild.add_member(user, roles=[mod_role])
    guild.add_member(admin, admin=True)
    rules = guild.channel("rules")
    rules.overwrites = [
        Overwrite(id=guild.id, type=0, deny=Permission.SEND_MESSAGES),
        Overwrite(id=mod_role.id, type=0, allow=Permission.SEND_MESSAGES),
    ]
    general = guild.channel("general")
    assert guild.permissions_in(user, general) & Permission.MANAGE_MESSAGES
    assert guild.permissions_in(user, rules) & Permission.SEND_MESSAGES
    outsider = world.add_user("o")
    guild.add_member(outsider)
    assert not guild.permissions_in(outsider, rules) & Permission.SEND_MESSAGES
    assert guild.permissions_in(admin, rules) == ALL_PERMISSIONS
    assert guild.permissions_in(guild.owner_id, rules) == ALL_PERMISSIONS
    rules.overwrites.append(Overwrite(id=outsider.id, type=1, deny=Permission.VIEW_CHANNEL))
    assert guild.permissions_in(outsider, rules) == 0


def test_snowflakes_increase_and_encode_time() -> None:
    world = World(lambda: 1_700_000_000.0)
    ids = [world.snowflake() for _ in range(5)]
    assert ids == sorted(set(ids))
    assert ((ids[0] >> 22) + 1_420_070_400_000) // 1000 == 1_700_000_000


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("/channels/*/messages", "/channels/1/messages", True),
        ("/channels/{channel_id}/messages", "/channels/1/messages", True),
        ("/channels/*/messages", "/channels/1/messages/2", False),
        ("/channels/**", "/channels/1/messages/2", True),
        ("re:/users/@me.*", "/users/@me/channels", True),
    ],
)
def test_path_patterns(pattern: str, path: str, matches: bool) -> None:
    assert path_matches(pattern, path) is matches


@pytest.mark.parametrize(
    ("embed", "path"),
    [
        ({"title": "t", "url": "paperbot:issue:1"}, ["0", "url"]),
        ({"author": {"name": "a", "url": "ftp://x"}}, ["0", "author", "url"]),
        ({"image": {"url": "x.png"}}, ["0", "image", "url"]),
    ],
)
def test_embed_links_must_be_http(embed: dict[str, Any], path: list[str]) -> None:
    node = errors_of({"embeds": [embed]})["embeds"]
    for part in path:
        node = node[part]
    assert node["_errors"][0]["code"] == "URL_TYPE_INVALID_URL"


def test_embed_author_needs_a_name() -> None:
    node = errors_of({"embeds": [{"author": {"url": "https://x.org"}}]})["embeds"]
    assert node["0"]["author"]["name"]["_errors"][0]["code"] == "BASE_TYPE_REQUIRED"
    validate_message(
        {"embeds": [{"image": {"url": "attachment://a.png"}, "author": {"name": "\u200b"}}]},
        creating=True,
    )
