"""Per-user cooldowns on lookup commands, and a server's choice of public or private /search
replies (private ones with a Share button), through the emulator in both languages."""

from __future__ import annotations

import re

from fakediscord import User
from tests.e2e.conftest import Env


def admin_of(env: Env, locale: str = "en-US") -> User:
    admin = env.fake.world.add_user(f"admin-{locale}", locale=locale)
    env.guild.add_member(admin, admin=True)
    return admin


async def test_spamming_search_gets_a_friendly_wait_in_each_language(env: Env) -> None:
    for user, locale, wait in (
        (env.bob, "en-US", r"You are going a little fast: try again in \d+ seconds\."),
        (env.alice, "ko", r"조금 천천히요! \d+초 뒤에 다시 해 주세요\."),
    ):
        for _ in range(4):
            ix = await env.fake.slash(user, env.channel, "search", {"query": "model"})
            assert not (await ix.original_message()).ephemeral  # results, for everyone
        ix = await env.fake.slash(user, env.channel, "search", {"query": "model"}, locale=locale)
        refused = await ix.original_message()
        assert refused.ephemeral
        assert re.fullmatch(wait, refused.text), refused.text
    # per user: someone else is not slowed down by them
    carol = env.fake.world.add_user("carol")
    env.guild.add_member(carol)
    ix = await env.fake.slash(carol, env.channel, "search", {"query": "model"})
    assert (await ix.original_message()).embeds


async def test_other_lookups_have_cooldowns_too(env: Env) -> None:
    for _ in range(5):
        ix = await env.fake.slash(env.alice, env.channel, "tags", {})
        await ix.original_message()
    ix = await env.fake.slash(env.alice, env.channel, "tags", {}, locale="ko")
    assert "천천히" in (await ix.original_message()).text


async def test_private_search_replies_with_a_share_button(env: Env) -> None:
    admin = admin_of(env, "ko")
    ix = await env.fake.slash(
        admin, env.channel, "settings search-replies", {"visibility": "private"}
    )
    saved = await ix.original_message()
    assert saved.ephemeral
    assert "검색한 사람에게만" in saved.text

    ix = await env.fake.slash(env.bob, env.channel, "search", {"query": "hallucination"})
    private = await ix.original_message()
    assert private.ephemeral_to == env.bob.id  # the query is not echoed to the channel
    assert "Only you see these results" in private.text
    labels = [b["label"] for b in private.buttons]
    assert labels == ["Previous", "Next", "Share"]
    assert not [m for m in env.fake.messages(env.channel) if not m.ephemeral]

    await (await env.fake.click(private, "search:share")).original_message()
    (shared,) = [m for m in env.fake.messages(env.channel) if not m.ephemeral]
    assert shared.content == f"<@{env.bob.id}> shared a search:"
    assert shared.embeds[0]["title"] == private.embeds[0]["title"]
    assert not shared.pings  # naming the sharer notifies nobody

    ix = await env.fake.slash(env.alice, env.channel, "search", {"query": "환각"}, locale="ko")
    korean = await ix.original_message()
    assert korean.ephemeral
    assert "공유" in [b["label"] for b in korean.buttons]

    ix = await env.fake.slash(
        admin, env.channel, "settings search-replies", {"visibility": "public"}
    )
    await ix.original_message()
    ix = await env.fake.slash(env.bob, env.channel, "search", {"query": "language models"})
    public = await ix.original_message()
    assert not public.ephemeral
    assert "Share" not in [b["label"] for b in public.buttons]


async def test_search_replies_need_no_announcement_channel_and_show_in_settings(
    env: Env,
) -> None:
    admin = admin_of(env)
    ix = await env.fake.slash(
        admin, env.channel, "settings search-replies", {"visibility": "private"}
    )
    assert "only the person searching" in (await ix.original_message()).text
    assert await env.store.guilds.get_guild(env.guild.id) is None
    ix = await env.fake.slash(admin, env.channel, "settings channel", {"channel": env.channel})
    await ix.original_message()
    ix = await env.fake.slash(admin, env.channel, "settings show", {})
    assert "Search replies" in (await ix.original_message()).text
