"""One smoke test per payload shape: discord.py 2.7.1's own models must parse what we send.

If Discord or discord.py changes a shape, these fail first (and say which payload)."""

from __future__ import annotations

import io
from typing import Any, cast

import discord
from discord import app_commands

from fakediscord import ChannelType, FakeDiscord, InteractionType
from fakediscord import payloads as p

from .conftest import Scene, TestBot


def raw(data: dict[str, Any]) -> Any:
    """Hand our JSON to discord.py's constructors (typed with its TypedDicts)."""
    return data


NOTES = "ReRoPE: 무한 길이 외삽\n".encode()


def guild_of(bot: TestBot, scene: Scene) -> discord.Guild:
    guild = bot.get_guild(scene.guild.id)
    assert guild is not None
    return guild


async def test_user_and_client_user(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    state = bot._connection
    user = discord.User(state=state, data=raw(p.user_payload(scene.alice)))
    assert (user.id, user.name, user.bot) == (scene.alice.id, "alice", False)
    me = discord.ClientUser(state=state, data=raw(p.client_user_payload(fake.world.bot)))
    assert me.bot
    assert me.name == "paperbot"


async def test_application(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    info = discord.AppInfo(bot._connection, raw(p.application_payload(fake.world.application)))
    assert info.id == fake.world.application.id
    assert info.owner.id == fake.world.application.owner.id


async def test_role_and_member(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    guild = guild_of(bot, scene)
    admin = scene.guild.role("Admin")
    role = discord.Role(guild=guild, state=bot._connection, data=raw(p.role_payload(admin)))
    assert role.permissions.administrator
    assert role.name == "Admin"
    managed = next(r for r in scene.guild.roles.values() if r.managed)
    bot_role = discord.Role(guild=guild, state=bot._connection, data=raw(p.role_payload(managed)))
    assert bot_role.is_bot_managed()
    assert bot_role.tags is not None
    assert bot_role.tags.bot_id == fake.world.bot.id
    member = discord.Member(
        data=raw(p.member_payload(scene.guild.members[scene.carol.id])),
        guild=guild,
        state=bot._connection,
    )
    assert member.id == scene.carol.id
    assert admin.id in [r.id for r in member.roles]


async def test_channels(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    guild = guild_of(bot, scene)
    world = fake.world
    state = bot._connection
    text = discord.TextChannel(
        state=state, guild=guild, data=raw(p.channel_payload(scene.general, world))
    )
    assert text.name == "general"
    assert text.type is discord.ChannelType.text
    announcements = scene.guild.channel("announcements")
    restricted = discord.TextChannel(
        state=state,
        guild=guild,
        data=raw(p.channel_payload(announcements, world)),
    )
    assert not restricted.permissions_for(guild.me).send_messages
    dm = discord.DMChannel(
        me=cast(discord.ClientUser, bot.user),
        state=state,
        data=raw(p.channel_payload(world.dm_channel(scene.alice), world)),
    )
    assert dm.recipient is not None
    assert dm.recipient.id == scene.alice.id
    thread = world.create_thread(scene.general, "talk", owner=world.bot)
    parsed = discord.Thread(guild=guild, state=state, data=raw(p.channel_payload(thread, world)))
    assert parsed.parent_id == scene.general.id
    assert parsed.type is discord.ChannelType.public_thread
    forum = scene.guild.add_forum_channel("papers")
    assert forum.type == ChannelType.GUILD_FORUM
    parsed_forum = discord.ForumChannel(
        state=state, guild=guild, data=raw(p.channel_payload(forum, world))
    )
    assert parsed_forum.name == "papers"


async def test_guild_create(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    data = p.guild_create_payload(scene.guild, fake.world, intents=bot.intents.value)
    guild = discord.Guild(data=raw(data), state=bot._connection)
    assert guild.name == "Paper Club"
    assert guild.chunked
    assert {c.name for c in guild.text_channels} == {"general", "announcements"}


async def test_message(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    channel = cast(discord.TextChannel, bot.get_channel(scene.general.id))
    sent = await channel.send(
        f"see <@{scene.alice.id}>",
        embed=discord.Embed(title="t", description="d").add_field(name="n", value="v"),
        file=discord.File(io.BytesIO(NOTES), filename="notes.txt"),
        view=discord.ui.View().add_item(discord.ui.Button(label="Open", url="https://arxiv.org")),
    )
    stored = fake.world.messages[sent.id]
    parsed = discord.Message(
        state=bot._connection, channel=channel, data=raw(p.message_payload(stored, fake.world))
    )
    assert parsed.embeds[0].fields[0].value == "v"
    assert parsed.attachments[0].filename == "notes.txt"
    assert parsed.mentions[0].id == scene.alice.id
    assert parsed.components
    row = cast(discord.ActionRow, parsed.components[0])
    assert cast(discord.Button, row.children[0]).url == "https://arxiv.org"
    data = await parsed.attachments[0].read()
    assert data == NOTES
    event = p.message_event_payload(stored, fake.world, intents=0)
    assert event["content"] == stored.content  # the bot's own messages keep content
    reply = await sent.reply("replying")
    assert reply.reference is not None
    assert reply.reference.message_id == sent.id


async def test_interaction_payloads(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    ix = fake.interactions.create(
        type=InteractionType.APPLICATION_COMMAND,
        user=scene.carol,
        channel=scene.general,
        data={"id": "1", "name": "hello", "type": 1},
        locale="ja",
    )
    parsed = discord.Interaction(data=raw(ix.payload), state=bot._connection)
    assert parsed.user.id == scene.carol.id
    assert isinstance(parsed.user, discord.Member)
    assert parsed.locale is discord.Locale.japanese
    assert parsed.guild_locale is discord.Locale.korean
    assert parsed.permissions.administrator
    assert parsed.app_permissions.send_messages
    assert parsed.channel is not None
    assert parsed.channel.id == scene.general.id

    dm = fake.interactions.create(
        type=InteractionType.APPLICATION_COMMAND,
        user=scene.alice,
        channel=fake.world.dm_channel(scene.alice),
        data={"id": "1", "name": "hello", "type": 1},
    )
    parsed_dm = discord.Interaction(data=raw(dm.payload), state=bot._connection)
    assert isinstance(parsed_dm.user, discord.User)
    assert parsed_dm.guild_id is None
    assert isinstance(parsed_dm.channel, discord.DMChannel)


async def test_app_command(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    search = fake.commands.find("search", None)
    assert search is not None
    parsed = app_commands.AppCommand(data=raw(search.payload()), state=bot._connection)
    assert parsed.id == search.id
    assert parsed.options[0].name == "query"
    admin = fake.commands.find("admin", scene.guild.id)
    assert admin is not None
    parsed_admin = app_commands.AppCommand(data=raw(admin.payload()), state=bot._connection)
    assert parsed_admin.guild_id == scene.guild.id
    assert parsed_admin.default_member_permissions is not None
    assert parsed_admin.default_member_permissions.manage_guild


async def test_members_chunk(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    guild = guild_of(bot, scene)
    members = await guild.query_members("al")
    assert [m.name for m in members] == ["alice"]
    assert any(frame["op"] == 8 for _, frame in fake.gateway.received)
