"""User installs and contexts through the emulator: lookup and alerts for everyone, anywhere;
server administration only in servers that installed the bot; owner commands in the owner's
server only."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakediscord import User
from tests.e2e.conftest import Env, running_bot

EVERYWHERE = [0, 1, 2]  # guild, bot DM, private channel


async def test_sync_sends_install_types_and_contexts(env: Env) -> None:
    synced = {c.name: c.payload() for c in env.fake.commands.commands_in(None)}
    for name in ("search", "paper", "digest", "tags", "alerts"):
        assert sorted(synced[name]["integration_types"]) == [0, 1], name
        assert sorted(synced[name]["contexts"]) == EVERYWHERE, name
    for name in ("settings", "announce", "status"):
        assert synced[name]["integration_types"] == [0], name
        assert synced[name]["contexts"] == [0], name
    assert "paperbot-admin" not in synced  # no owner server configured: nowhere
    assert all(not env.fake.commands.commands_in(g) for g in env.fake.world.guilds)


async def test_a_user_install_brings_lookup_and_alerts_anywhere(env: Env) -> None:
    world = env.fake.world
    carol = world.add_user("carol", locale="ko")
    friend = world.add_user("dave")
    elsewhere = world.add_guild("Elsewhere", channels=("chat",), with_bot=False)
    elsewhere.add_member(carol, admin=True)
    chat = elsewhere.channel("chat")
    private = world.private_channel(carol, friend)

    # Not added to her account: nothing of paperbot where its bot is not.
    with pytest.raises(PermissionError):
        await env.fake.slash(carol, chat, "search", {"query": "환각"})
    with pytest.raises(PermissionError):
        await env.fake.slash(carol, private, "alerts follow", {"tag": "rlhf"})

    world.install_for_user(carol)
    ix = await env.fake.slash(carol, chat, "search", {"query": "환각"})
    assert ix.payload["authorizing_integration_owners"] == {"1": str(carol.id)}
    assert ix.payload["context"] == 0
    reply = await ix.original_message()
    assert "Hallucination" in reply.text

    ix = await env.fake.slash(carol, private, "alerts follow", {"tag": "rlhf"})
    assert ix.payload["context"] == 2
    reply = await ix.original_message()
    assert reply.ephemeral
    assert "`rlhf` 태그 논문이" in reply.text
    assert [s.value for s in await env.store.alerts.subscriptions(carol.id)] == ["rlhf"]
    ix = await env.fake.slash(carol, private, "tags", {}, locale="en-US")
    assert "Tags" in (await ix.original_message()).text
    ix = await env.fake.slash(carol, None, "paper random", {})  # the DM with the bot
    assert (await ix.original_message()).embeds

    # Server administration stays with servers that added the bot, in those servers.
    for where, command in (
        (chat, "status"),
        (chat, "settings show"),
        (private, "settings show"),
        (None, "announce preview"),
    ):
        with pytest.raises(PermissionError):
            await env.fake.slash(carol, where, command, {})
    assert await env.store.guilds.get_guild(elsewhere.id) is None


def owner_and_admin(env: Env) -> tuple[User, User]:
    owner = env.fake.world.application.owner
    env.guild.add_member(owner, admin=True)
    admin = env.fake.world.add_user("erin", locale="ko")
    env.guild.add_member(admin, admin=True)
    return owner, admin


async def test_owner_commands_live_in_the_owners_server_only(tmp_path: Path) -> None:
    async with running_bot(tmp_path, owner_guild=True) as env:
        owner, admin = owner_and_admin(env)
        in_owner_guild = {c.name: c.payload() for c in env.fake.commands.commands_in(env.guild.id)}
        assert set(in_owner_guild) == {"paperbot-admin"}
        assert in_owner_guild["paperbot-admin"]["integration_types"] == [0]
        assert in_owner_guild["paperbot-admin"]["contexts"] == [0]
        assert "paperbot-admin" not in {c.name for c in env.fake.commands.commands_in(None)}

        other = env.fake.world.add_guild("Other Club", channels=("general",))
        other.add_member(admin, admin=True)
        with pytest.raises(LookupError):  # other servers' admins never see it
            await env.fake.slash(admin, other.channel("general"), "paperbot-admin sync", {})

        ix = await env.fake.slash(admin, env.channel, "paperbot-admin sync", {})
        refused = await ix.original_message()
        assert refused.ephemeral
        assert refused.text == "봇 소유자만 할 수 있습니다."  # a localised check failure
        ix = await env.fake.slash(owner, env.channel, "paperbot-admin sync", {}, locale="en-US")
        assert (await ix.original_message()).text == "Commands synced."
        assert "paperbot-admin" in {c.name for c in env.fake.commands.commands_in(env.guild.id)}
