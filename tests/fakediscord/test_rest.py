"""Channel messages, DMs, threads, history, limits and injected faults via the real client."""

from __future__ import annotations

import asyncio

import aiohttp
import discord
import pytest

from fakediscord import FakeDiscord

from .conftest import OffsetClock, Scene, TestBot


def text_channel(bot: TestBot, scene: Scene, name: str = "general") -> discord.TextChannel:
    guild = bot.get_guild(scene.guild.id)
    assert guild is not None
    channel = discord.utils.get(guild.text_channels, name=name)
    assert channel is not None
    return channel


async def test_send_edit_delete_and_history(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    channel = text_channel(bot, scene)
    sent = [await channel.send(f"note {i}") for i in range(4)]
    stored = fake.messages(scene.general)
    assert [m.content for m in stored] == [f"note {i}" for i in range(4)]
    assert stored[0].allowed_mentions == {"parse": []}

    newest = [m.content async for m in channel.history(limit=2)]
    assert newest == ["note 3", "note 2"]
    after = [m.content async for m in channel.history(after=sent[0], oldest_first=True)]
    assert after == ["note 1", "note 2", "note 3"]
    before = [m.content async for m in channel.history(before=sent[2])]
    assert before == ["note 1", "note 0"]

    await sent[1].edit(content="note one")
    assert stored[1].content == "note one"
    assert stored[1].edited
    await sent[0].delete()
    assert [m.content for m in fake.messages(scene.general)] == ["note one", "note 2", "note 3"]
    fetched = await channel.fetch_message(sent[3].id)
    assert fetched.content == "note 3"
    with pytest.raises(discord.NotFound) as err:
        await channel.fetch_message(sent[0].id)
    assert err.value.code == 10008


async def test_dm_and_closed_dm(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    alice = await bot.fetch_user(scene.alice.id)
    await alice.send("new papers on #llm")
    assert [m.content for m in fake.dms(scene.alice)] == ["new papers on #llm"]

    bob = await bot.fetch_user(scene.bob.id)
    with pytest.raises(discord.Forbidden) as err:
        await bob.send("hello?")
    assert err.value.code == 50007
    assert err.value.status == 403
    assert fake.dms(scene.bob) == []


async def test_missing_permissions(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    with pytest.raises(discord.Forbidden) as err:
        await text_channel(bot, scene, "announcements").send("hi")
    assert err.value.code == 50013


async def test_threads(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    channel = text_channel(bot, scene)
    starter = await channel.send("Weekly issue")
    thread = await starter.create_thread(name="Discussion")
    assert thread.id == starter.id
    await thread.send("first reply")
    world_thread = fake.world.channels[thread.id]
    assert world_thread.is_thread
    assert world_thread.parent_id == scene.general.id
    assert [m.content for m in fake.messages(world_thread)] == ["first reply"]

    loose = await channel.create_thread(name="Side", type=discord.ChannelType.public_thread)
    assert fake.world.channels[loose.id].name == "Side"
    with pytest.raises(discord.HTTPException) as err:
        await starter.create_thread(name="again")
    assert err.value.code == 160004


async def test_allowed_mentions_recorded(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    channel = text_channel(bot, scene)
    role = scene.guild.role("Admin")
    await channel.send(f"<@{scene.alice.id}> @everyone <@&{role.id}>")
    quiet = fake.messages(scene.general)[-1]
    assert quiet.mention_ids == [scene.alice.id]
    assert quiet.mention_everyone
    assert not quiet.pings

    await channel.send(
        f"<@&{role.id}> new issue",
        allowed_mentions=discord.AllowedMentions(roles=[discord.Object(role.id)]),
    )
    loud = fake.messages(scene.general)[-1]
    assert loud.pings.roles == {role.id}
    assert not loud.pings.users
    assert not loud.pings.everyone


async def test_oversized_embed_is_rejected(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    channel = text_channel(bot, scene)
    with pytest.raises(discord.HTTPException) as err:
        await channel.send(embed=discord.Embed(description="x" * 4097))
    assert err.value.status == 400
    assert err.value.code == 50035
    assert "embeds.0.description" in err.value.text
    assert "4096" in err.value.text

    big = discord.Embed(title="t")
    for i in range(6):
        big.add_field(name=f"f{i}", value="v" * 1024)
    with pytest.raises(discord.HTTPException) as err:
        await channel.send(embed=big)
    assert "6000" in err.value.text

    with pytest.raises(discord.HTTPException) as err:
        await channel.send("x" * 2001)
    assert "content" in err.value.text
    assert fake.messages(scene.general) == []


async def test_injected_429_is_retried(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    fake.faults.add("POST", "/channels/{channel_id}/messages", status=429, retry_after=0.05)
    await text_channel(bot, scene).send("after a 429")
    assert [m.content for m in fake.messages(scene.general)] == ["after a 429"]
    posts = fake.requests.filter("POST", "/channels/*/messages")
    assert [p.status for p in posts] == [429, 200]
    assert posts[0].rate_limited == "fault"
    assert fake.served_429 == 1


async def test_injected_429_without_via_is_not_retried(
    fake: FakeDiscord, scene: Scene, bot: TestBot
) -> None:
    fake.faults.add("POST", "/channels/*/messages", status=429, via=False)
    with pytest.raises(discord.HTTPException) as err:
        await text_channel(bot, scene).send("blocked")
    assert err.value.status == 429


async def test_injected_500_is_retried(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    fake.faults.add("POST", "/channels/*/messages", status=500)
    await text_channel(bot, scene).send("after a 500")
    posts = fake.requests.filter("POST", "/channels/*/messages")
    assert [p.status for p in posts] == [500, 200]
    assert posts[1].time - posts[0].time >= 0.9  # discord.py waits 1 s before retrying


async def test_injected_403_and_delay(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    fake.faults.add(
        "POST", "/channels/*/messages", status=403, code=50001, message="Missing Access"
    )
    with pytest.raises(discord.Forbidden) as err:
        await text_channel(bot, scene).send("x")
    assert err.value.code == 50001
    fake.faults.delay("GET", "/channels/*", 0.2)
    await bot.fetch_channel(scene.general.id)
    call = fake.requests.last("GET", "/channels/*")
    assert call.finished - call.time >= 0.2


async def test_hang_after_processing_stores_the_message_but_withholds_the_answer(
    fake: FakeDiscord, scene: Scene, bot: TestBot
) -> None:
    held = fake.faults.hang("POST", "/channels/*/messages", processed=True)
    send = asyncio.create_task(text_channel(bot, scene).send("accepted, unanswered"))
    await fake.wait_until(lambda: held.held == 1, within=2)
    assert [m.content for m in fake.messages(scene.general)] == ["accepted, unanswered"]
    await asyncio.sleep(0.1)
    assert not send.done()  # the client never heard
    held.release()
    sent = await asyncio.wait_for(send, 2)
    assert sent.id == fake.messages(scene.general)[0].id


async def test_hang_before_processing_drops_the_request_of_a_dead_client(
    fake: FakeDiscord, scene: Scene
) -> None:
    held = fake.faults.hang("POST", "/channels/*/messages")
    url = f"{fake.rest_url}/channels/{scene.general.id}/messages"
    auth = {"Authorization": f"Bot {fake.token}"}
    async with aiohttp.ClientSession() as http:
        post = asyncio.create_task(http.post(url, json={"content": "never"}, headers=auth))
        await fake.wait_until(lambda: held.held == 1, within=2)
        post.cancel()  # the client dies with its request in flight
        with pytest.raises(asyncio.CancelledError):
            await post
    await fake.wait_until(lambda: held.held == 0, within=2)
    held.release()
    assert fake.messages(scene.general) == []
    assert fake.requests.last("POST", "/channels/*/messages").status == 499


async def test_hang_before_processing_lets_a_live_request_through_when_released(
    fake: FakeDiscord, scene: Scene, bot: TestBot
) -> None:
    held = fake.faults.hang("POST", "/channels/*/messages")
    send = asyncio.create_task(text_channel(bot, scene).send("late"))
    await fake.wait_until(lambda: held.held == 1, within=2)
    assert fake.messages(scene.general) == []
    held.release()
    await asyncio.wait_for(send, 2)
    assert [m.content for m in fake.messages(scene.general)] == ["late"]
    assert fake.faults.add("POST", "/x", hang="before").hang == "before"
    with pytest.raises(ValueError, match="no status"):
        fake.faults.add("POST", "/x", hang="after", status=500)


async def test_every_response_has_rate_limit_headers(fake: FakeDiscord, scene: Scene) -> None:
    async with aiohttp.ClientSession() as http:
        auth = {"Authorization": f"Bot {fake.token}"}
        async with http.get(fake.rest_url + "/users/@me", headers=auth) as r:
            assert r.status == 200
            assert r.headers["Content-Type"] == "application/json"
            for name in ("Bucket", "Limit", "Remaining", "Reset", "Reset-After"):
                assert f"X-RateLimit-{name}" in r.headers
        async with http.get(
            fake.rest_url + "/users/@me", headers={"Authorization": "Bot nope"}
        ) as r:
            assert r.status == 401
            assert (await r.json())["message"] == "401: Unauthorized"
        async with http.get(fake.rest_url + "/no/such/route", headers=auth) as r:
            assert r.status == 404
            assert (await r.json())["code"] == 0


async def test_followup_token_expires(
    fake: FakeDiscord, scene: Scene, bot: TestBot, clock: OffsetClock
) -> None:
    ix = await fake.slash(scene.alice, scene.general, "hello")
    await ix.original_message()
    clock.advance(16 * 60)
    url = f"{fake.rest_url}/webhooks/{fake.world.application.id}/{ix.token}?wait=1"
    async with aiohttp.ClientSession() as http, http.post(url, json={"content": "late"}) as r:
        assert r.status == 401
        assert (await r.json())["code"] == 50027


async def test_user_messages_reach_the_bot(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    sent = await fake.say(scene.alice, scene.general, "has anyone read ReRoPE?")
    await fake.gateway.wait_for(lambda g: any(m.id == sent.id for m in bot.seen_messages), 2)
    seen = next(m for m in bot.seen_messages if m.id == sent.id)
    assert seen.content == "has anyone read ReRoPE?"
    assert seen.author.id == scene.alice.id


async def test_guild_lookups_and_reactions(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    guild = bot.get_guild(scene.guild.id)
    assert guild is not None
    roles = await guild.fetch_roles()
    assert {r.name for r in roles} >= {"@everyone", "Admin", "paperbot"}
    channels = await guild.fetch_channels()
    assert {c.name for c in channels} == {"general", "announcements"}
    member = await guild.fetch_member(scene.alice.id)
    assert member.name == "alice"
    members = [m.name async for m in guild.fetch_members(limit=None)]
    assert sorted(members) == sorted(m.user.username for m in scene.guild.members.values())
    fetched = await bot.fetch_channel(scene.general.id)
    assert fetched.id == scene.general.id
    with pytest.raises(discord.NotFound) as err:
        await bot.fetch_channel(12345)
    assert err.value.code == 10003

    message = await text_channel(bot, scene).send("react to me")
    await message.add_reaction("👍")
    async with text_channel(bot, scene).typing():
        pass
    assert fake.world.messages[message.id].reactions == {"👍": [fake.world.bot.id]}
    await message.remove_reaction("👍", guild.me)
    assert fake.world.messages[message.id].reactions == {"👍": []}


async def test_history_keeps_embed_links_but_not_the_nonce(
    fake: FakeDiscord, scene: Scene, bot: TestBot
) -> None:
    """What a bot can find again in the history (how paperbot recognises its own posts)."""
    channel = text_channel(bot, scene)
    hidden = {"name": "\u200b", "url": "https://paperbot.invalid/m/paperbot:issue:9"}
    embed = discord.Embed.from_dict({"title": "t", "author": hidden})
    sent = await channel.send(embed=embed, nonce="paperbot-9")
    assert sent.nonce == "paperbot-9"  # echoed by the create response only
    (found,) = [m async for m in channel.history(limit=1)]
    assert found.nonce is None
    assert found.embeds[0].author.url == hidden["url"]
    assert found.embeds[0].author.name == "\u200b"
    with pytest.raises(discord.HTTPException) as err:
        await channel.send(embed=discord.Embed.from_dict({"title": "t", "url": "paperbot:x"}))
    assert err.value.status == 400
