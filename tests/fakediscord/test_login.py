"""Login, READY and GUILD_CREATE as the real discord.py client sees them."""

from __future__ import annotations

import discord
import pytest

from fakediscord import FakeDiscord

from .conftest import Scene, TestBot, pointed_at


async def test_ready_shows_guilds_channels_roles(
    fake: FakeDiscord, scene: Scene, bot: TestBot
) -> None:
    assert bot.user is not None
    assert bot.user.id == fake.world.bot.id
    assert bot.user.bot
    assert bot.application_id == fake.world.application.id
    guild = bot.get_guild(scene.guild.id)
    assert guild is not None
    assert guild.name == "Paper Club"
    assert guild.preferred_locale == discord.Locale.korean
    assert [c.name for c in guild.text_channels] == ["general", "announcements"]
    assert guild.default_role.id == guild.id
    assert {m.name for m in guild.members} >= {"alice", "bob", "carol", "paperbot"}
    carol = guild.get_member(scene.carol.id)
    assert carol is not None
    assert carol.guild_permissions.administrator
    alice = guild.get_member(scene.alice.id)
    assert alice is not None
    assert not alice.guild_permissions.administrator
    me = guild.me
    assert not guild.text_channels[1].permissions_for(me).send_messages
    assert fake.requests.count("GET", "/users/@me") == 1
    assert fake.requests.count("GET", "/oauth2/applications/@me") == 1
    assert fake.gateway.identifies == 1


async def test_wrong_token_is_login_failure(fake: FakeDiscord) -> None:
    client = discord.Client(intents=discord.Intents.default())
    with pointed_at(fake):
        with pytest.raises(discord.LoginFailure):
            await client.login("not-the-token")
        await client.close()
    assert fake.requests.last("GET", "/users/@me").status == 401
