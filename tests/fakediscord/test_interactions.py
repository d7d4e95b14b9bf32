"""Slash commands, autocomplete, components and modals round-trip through the real client."""

from __future__ import annotations

import discord
import pytest
from discord import app_commands

from fakediscord import CallbackType, FakeDiscord, MessageFlag
from fakediscord.rest import ApiRequest

from .conftest import OffsetClock, Scene, TestBot


async def test_command_sync_stores_commands(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    global_names = {c.name for c in fake.commands.commands_in(None)}
    assert {"hello", "search", "settings", "vote", "whois"} <= global_names
    guild_cmds = fake.commands.commands_in(scene.guild.id)
    assert [c.name for c in guild_cmds] == ["admin"]
    assert guild_cmds[0].body["default_member_permissions"] is not None
    fetched = await bot.tree.fetch_commands()
    assert {c.name for c in fetched} == global_names
    hello = next(c for c in fetched if c.name == "hello")
    assert hello.application_id == fake.world.application.id
    assert fake.requests.count("PUT", "/applications/*/commands") == 1
    assert fake.requests.count("PUT", "/applications/*/guilds/*/commands") == 1


async def test_send_message_with_locale(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    ix = await fake.slash(scene.alice, scene.general, "hello", {"name": "여러분"})
    response = await ix.response()
    assert response.type == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE
    msg = await ix.original_message()
    assert msg.content == "hello 여러분 (ko)"
    assert msg.author is fake.world.bot
    assert msg.interaction_metadata is not None
    assert msg.interaction_metadata["name"] == "hello"
    assert msg in fake.messages(scene.general)

    ix = await fake.slash(scene.carol, scene.guild, "hello", locale="en-GB")
    assert (await ix.original_message()).content == "hello carol (en-GB)"


async def test_defer_then_followups(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    ix = await fake.slash(scene.alice, scene.general, "search", {"query": "rope", "limit": 5})
    assert (await ix.response()).type == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    first = await ix.followup(0)
    second = await ix.followup(1)
    # The first followup replaces the "thinking" message; the second is a new message.
    assert first is ix.original
    assert not first.loading
    assert first.embeds[0]["title"] == "Results for rope"
    assert second.content == "5 more on page 2"
    assert fake.messages(scene.general)[-2:] == [first, second]


async def test_subcommand_group_ephemeral(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    ix = await fake.slash(scene.alice, scene.general, "settings alerts add", {"tag": "llm"})
    msg = await ix.followup(0)
    assert msg.content == "following #llm"
    assert msg.flags & MessageFlag.EPHEMERAL
    assert msg.ephemeral_to == scene.alice.id
    data = ix.payload["data"]
    assert data["options"][0]["type"] == 2
    assert data["options"][0]["options"][0]["type"] == 1
    assert msg in fake.seen_by(scene.alice, scene.general)
    assert msg not in fake.seen_by(scene.bob, scene.general)
    assert msg not in fake.messages(scene.general)


async def test_edit_original(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    ix = await fake.slash(scene.alice, scene.general, "countdown")
    msg = await ix.edited()
    assert msg.content == "liftoff"
    assert msg.revisions[0]["content"] == "3..."
    assert fake.requests.count("PATCH", "/webhooks/*/*/messages/@original") == 1


async def test_followup_edit_and_original_delete(
    fake: FakeDiscord, scene: Scene, bot: TestBot
) -> None:
    ix = await fake.slash(scene.alice, scene.general, "twostep")
    await ix.wait_for(lambda h: h.original is not None and h.original.deleted)
    first, second = ix.followups
    assert first is ix.original
    assert first.deleted
    assert second.content == "two, edited"
    assert fake.messages(scene.general) == [second]
    assert fake.requests.count("GET", "/webhooks/*/*/messages/@original") == 1
    assert fake.requests.count("PATCH", f"/webhooks/*/*/messages/{second.id}") == 1
    assert fake.requests.count("DELETE", "/webhooks/*/*/messages/@original") == 1


async def test_autocomplete(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    ix = await fake.autocomplete(scene.alice, scene.general, "search", {"query": "trans"})
    choices = await ix.choices()
    assert [c["name"] for c in choices] == ["transformer", "transfer learning"]
    focused = ix.payload["data"]["options"][0]
    assert focused == {"name": "query", "type": 3, "value": "trans", "focused": True}


async def test_button_click_edits_message(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    ix = await fake.slash(scene.alice, scene.general, "vote")
    msg = await ix.original_message()
    assert [b["custom_id"] for b in msg.buttons] == ["vote:up"]
    click = await fake.click(msg, "vote:up", user=scene.bob)
    assert (await click.response()).type == CallbackType.UPDATE_MESSAGE
    await click.edited()
    assert msg.content == "votes: 1"
    click = await fake.click(msg, "vote:up", user=scene.carol)
    await click.edited()
    assert msg.content == "votes: 2"

    pick = await fake.select(msg, "vote:pick", ["b"], user=scene.bob)
    reply = await pick.original_message()
    assert reply.content == "picked b"
    assert reply.ephemeral_to == scene.bob.id
    with pytest.raises(ValueError, match="not an option"):
        await fake.select(msg, "vote:pick", ["z"], user=scene.bob)


async def test_modal_submit(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    ix = await fake.slash(scene.alice, scene.general, "feedback")
    modal = await ix.modal()
    assert modal["title"] == "Feedback"
    submitted = await fake.submit_modal(ix, {"feedback:text": "great digest"})
    reply = await submitted.original_message()
    assert reply.content == "thanks: great digest"
    assert reply.ephemeral


async def test_resolved_options_and_no_pings(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    admin_role = scene.guild.role("Admin")
    ix = await fake.slash(
        scene.alice,
        scene.general,
        "whois",
        {"member": scene.carol, "role": admin_role, "channel": scene.general},
    )
    msg = await ix.original_message()
    assert msg.content == f"<@{scene.carol.id}> carol has Admin in general"
    assert msg.mention_ids == [scene.carol.id]
    assert msg.allowed_mentions == {"parse": []}
    assert not msg.pings  # the bot's AllowedMentions.none() kept it silent


async def test_guild_command_and_permissions(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    with pytest.raises(PermissionError):
        await fake.slash(scene.alice, scene.general, "admin")
    ix = await fake.slash(scene.carol, scene.general, "admin")
    assert ix.payload["data"]["guild_id"] == str(scene.guild.id)
    msg = await ix.original_message()
    assert msg.content == f"admin=True guild={scene.guild.id}"
    with pytest.raises(LookupError):
        await fake.slash(scene.carol, None, "admin")  # guild command, not in DMs
    with pytest.raises(LookupError):
        await fake.slash(scene.carol, scene.general, "nonexistent")


async def test_context_menus(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    ix = await fake.user_command(scene.alice, scene.general, "Profile", scene.carol)
    assert (await ix.original_message()).content == "profile of carol"
    posted = await fake.say(scene.carol, scene.general, "ReRoPE: infinite context")
    ix = await fake.message_command(scene.alice, "Save paper", posted)
    reply = await ix.original_message()
    assert reply.content == "saved: ReRoPE: infinite context"
    assert reply.ephemeral_to == scene.alice.id


async def test_slash_in_dm(fake: FakeDiscord, scene: Scene, bot: TestBot) -> None:
    ix = await fake.slash(scene.bob, None, "hello")
    msg = await ix.original_message()
    assert msg.content == "hello bob (en-US)"
    dm = fake.world.channels[msg.channel_id]
    assert dm.is_dm
    assert dm.recipient is scene.bob
    assert fake.dms(scene.bob) == []  # interaction replies are not bot-initiated DMs


async def test_late_first_response_is_unknown_interaction(
    fake: FakeDiscord, scene: Scene, bot: TestBot
) -> None:
    fake.interaction_deadline = 0.05
    bot.slow_delay = 0.15
    ix = await fake.slash(scene.alice, scene.general, "slow")
    await fake.wait_until(lambda: bot.errors)
    assert not ix.acknowledged
    call = fake.requests.last("POST", "/interactions/*/*/callback")
    assert call.status == 404
    assert call.response["code"] == 10062
    error = bot.errors[-1]
    assert isinstance(error, app_commands.CommandInvokeError)
    assert isinstance(error.original, discord.NotFound)
    assert error.original.code == 10062


async def test_deadline_follows_injected_clock(
    fake: FakeDiscord, scene: Scene, bot: TestBot, clock: OffsetClock
) -> None:
    async def late(request: ApiRequest) -> None:
        if request.path.endswith("/callback"):
            clock.advance(3.5)

    fake.on_request(late)
    ix = await fake.slash(scene.alice, scene.general, "hello")
    await fake.wait_until(lambda: fake.requests.count("POST", "/interactions/**"))
    assert not ix.acknowledged
    with pytest.raises(TimeoutError):
        await ix.response(within=0.05)
    assert fake.requests.last("POST", "/interactions/*/*/callback").response["code"] == 10062
