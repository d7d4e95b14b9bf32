"""Gateway: heartbeats, resume after a dropped socket, replay, re-identify, intents."""

from __future__ import annotations

import asyncio

import discord
import pytest

from fakediscord import FakeDiscord

from .conftest import Scene, TestBot, pointed_at, start_bot, stop_bot


async def test_heartbeat_and_identify(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    frames = [frame for _, frame in fake.gateway.received]
    assert frames[0]["op"] == 1  # discord.py heartbeats as soon as it gets HELLO
    identify = next(f for f in frames if f["op"] == 2)
    assert identify["d"]["token"] == fake.token
    assert identify["d"]["intents"] == bot.intents.value
    assert bot.latency >= 0


async def test_dropped_gateway_resumes(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    session = fake.gateway.live_sessions[0]
    await fake.drop_gateway()
    # Dispatched while the socket is down: buffered, then replayed on RESUME.
    ix = await fake.slash(scene.alice, scene.general, "hello")
    await fake.gateway.wait_resumed()
    assert (await ix.original_message()).content == "hello alice (ko)"
    assert fake.gateway.identifies == 1  # no new session
    assert fake.gateway.live_sessions == [session]
    resume = next(f for _, f in fake.gateway.received if f["op"] == 6)
    assert resume["d"]["session_id"] == session.id
    # ...and the next interaction after the resume works too.
    ix = await fake.slash(scene.carol, scene.general, "hello")
    assert (await ix.original_message()).content == "hello carol (en-US)"


async def test_reconnect_opcode_resumes(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    await fake.gateway.request_reconnect()
    await fake.gateway.wait_resumed()
    ix = await fake.slash(scene.alice, scene.general, "hello")
    await ix.original_message()


async def test_unresumable_drop_reidentifies(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    await fake.drop_gateway(resumable=False)
    await fake.gateway.wait_for(lambda g: g.identifies == 2 and g.connected, 10)
    invalid = [f for _, f in fake.gateway.received if f["op"] == 6]
    assert invalid, "the client should have tried to RESUME first"
    ix = await fake.slash(scene.alice, scene.general, "hello")
    await ix.original_message()


async def test_privileged_intent_refused(fake: FakeDiscord, scene: Scene) -> None:
    fake.allowed_privileged_intents = 0
    with pointed_at(fake):
        client = TestBot(scene.guild.id, sync=False)
        task = asyncio.create_task(client.start(fake.token))
        with pytest.raises(discord.PrivilegedIntentsRequired):
            await asyncio.wait_for(task, 5)
        await client.close()


async def test_guild_members_need_the_intent(fake: FakeDiscord, scene: Scene) -> None:
    with pointed_at(fake):
        client = TestBot(scene.guild.id, sync=False)
        client.intents.members = False
        client._connection._intents.members = False
        task = await start_bot(fake, client)
        try:
            guild = client.get_guild(scene.guild.id)
            assert guild is not None
            assert [m.id for m in guild.members] == [fake.world.bot.id]
            assert guild.member_count == len(scene.guild.members)
        finally:
            await stop_bot(client, task)


async def test_world_changes_reach_the_bot(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    channel = scene.guild.add_text_channel("papers")
    newcomer = fake.world.add_user("dave")
    scene.guild.add_member(newcomer)
    second = fake.world.add_guild("Other Server")

    def arrived(_: object) -> bool:
        guild = bot.get_guild(scene.guild.id)
        return (
            guild is not None
            and guild.get_channel(channel.id) is not None
            and guild.get_member(newcomer.id) is not None
            and bot.get_guild(second.id) is not None
        )

    await fake.gateway.wait_for(arrived, 2)
