"""Topic alerts through the emulator: follow, one DM per new issue, closed DMs, 1,000 users."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot.settings import BUNDLED_DIGESTS
from fakediscord.ratelimits import RateLimitConfig
from tests.e2e.conftest import Env, running_bot
from tests.e2e.digests import RAG_PAPER, ZEBRA_PAPER, paper, write_weekly


@pytest.fixture
def incoming(tmp_path: Path) -> Path:
    folder = tmp_path / "incoming"
    folder.mkdir()
    return folder


async def test_follower_gets_one_dm_and_closed_dms_are_told_once(
    tmp_path: Path, incoming: Path
) -> None:
    async with running_bot(tmp_path, digests=[BUNDLED_DIGESTS, incoming]) as env:
        ix = await env.fake.slash(env.alice, env.channel, "alerts follow", {"tag": "rlhf"})
        reply = await ix.original_message()
        assert reply.ephemeral
        assert "`rlhf` 태그 논문이" in reply.text
        ix = await env.fake.slash(env.bob, None, "alerts follow", {"tag": "rlhf"})  # in a DM
        assert "tagged `rlhf`" in (await ix.original_message()).text
        ix = await env.fake.slash(env.bob, None, "alerts keyword", {"word": "zebra"})
        assert "zebra" in (await ix.original_message()).text
        env.bob.dms_open = False

        write_weekly(incoming, env.clock().date(), [RAG_PAPER, ZEBRA_PAPER])
        polled = await env.bot.jobs.poll("local")
        assert polled.new_papers == 2
        await env.bot.jobs.drain_alerts()
        await env.bot.jobs.poll("local")  # nothing new: nothing more

        (dm,) = env.fake.dms(env.alice)
        assert "Quantum Retrieval Transformers" in dm.text
        assert "Sparse Zebra" not in dm.text
        assert not dm.pings
        assert "paperbot:" not in dm.text  # the recovery marker is out of sight
        assert env.fake.dms(env.bob) == []
        bob = await env.bot.store.alerts.get_user(env.bob.id)
        assert bob is not None
        assert bob.unreachable

        # bob's next command tells him, once
        ix = await env.fake.slash(env.bob, env.channel, "alerts list", {}, locale="en-US")
        listing = await ix.original_message()
        assert "zebra" in listing.text
        notice = await ix.followup(0)
        assert notice.ephemeral
        assert "could not send you a DM" in notice.text
        ix = await env.fake.slash(env.bob, env.channel, "tags", {})
        await ix.original_message()
        await asyncio.sleep(0.2)
        assert ix.followups == []

        # /status counts the unreachable user and why (global figures: for the bot's owner)
        carol = env.fake.world.application.owner
        env.guild.add_member(carol, admin=True)
        ix = await env.fake.slash(carol, env.channel, "status", {})
        status = (await ix.original_message()).text
        assert "unreachable users 1" in status
        assert "closed DMs" in status


async def test_unknown_tag_suggests_and_unfollow_pause_resume(env: Env) -> None:
    ix = await env.fake.slash(env.bob, env.channel, "alerts follow", {"tag": "rlhff"})
    text = (await ix.original_message()).text
    assert "rlhff" in text
    assert "`rlhf`" in text
    assert await env.bot.store.alerts.subscriptions(env.bob.id) == []

    choices = await (
        await env.fake.autocomplete(
            env.bob, env.channel, "alerts follow", {"tag": "rl"}, focused="tag"
        )
    ).choices()
    assert "rlhf" in [c["value"] for c in choices]

    await (
        await env.fake.slash(env.bob, env.channel, "alerts follow", {"tag": "rlhf"})
    ).original_message()
    await (
        await env.fake.slash(env.bob, env.channel, "alerts keyword", {"word": "Mixture of Experts"})
    ).original_message()
    choices = await (
        await env.fake.autocomplete(
            env.bob, env.channel, "alerts unfollow", {"topic": ""}, focused="topic"
        )
    ).choices()
    assert {c["value"] for c in choices} == {"tag:rlhf", "keyword:mixture of experts"}
    ix = await env.fake.slash(env.bob, env.channel, "alerts unfollow", {"topic": "tag:rlhf"})
    assert "rlhf" in (await ix.original_message()).text
    ix = await env.fake.slash(env.bob, env.channel, "alerts pause", {})
    assert "paused" in (await ix.original_message()).text
    ix = await env.fake.slash(env.alice, env.channel, "alerts list", {})
    assert "구독이 없습니다" in (await ix.original_message()).text
    ix = await env.fake.slash(env.bob, env.channel, "alerts list", {})
    listing = (await ix.original_message()).text
    assert "mixture of experts" in listing
    assert "paused" in listing
    ix = await env.fake.slash(env.bob, env.channel, "alerts resume", {})
    await ix.original_message()
    user = await env.bot.store.alerts.get_user(env.bob.id)
    assert user is not None
    assert user.active


async def test_a_thousand_subscribers_with_429s_403s_and_500s(
    tmp_path: Path, incoming: Path
) -> None:
    async with running_bot(tmp_path, digests=[BUNDLED_DIGESTS, incoming]) as env:
        env.fake.limiter.config = RateLimitConfig(enabled=False)
        users = []
        for n in range(1000):
            user = env.fake.world.add_user(f"reader{n}", dms_open=n % 10 != 3)
            users.append(user)
            await env.bot.store.alerts.follow(user.id, "tag", "rag", locale="en")
        env.fake.faults.add("POST", "/channels/*/messages", status=429, retry_after=0.01, times=20)
        env.fake.faults.add("POST", "/channels/*/messages", status=500, times=3)

        write_weekly(
            incoming, env.clock().date(), [RAG_PAPER, paper("Another Retrieval RAG Model")]
        )
        started = time.monotonic()
        await env.bot.jobs.poll("local")  # ingest, queue 1,000 alerts, drain
        for _ in range(5):  # anything retried after a 500 is due a little later
            env.clock.advance(minutes=10)
            await env.bot.jobs.drain_alerts()
        assert time.monotonic() - started < 20

        reachable = [u for u in users if u.dms_open]
        closed = [u for u in users if not u.dms_open]
        assert all(len(env.fake.dms(u)) == 1 for u in reachable)
        assert all(env.fake.dms(u) == [] for u in closed)
        for user in closed[:20]:
            record = await env.bot.store.alerts.get_user(user.id)
            assert record is not None
            assert record.unreachable
        status = await env.bot.store.status()
        assert status.unreachable_users == len(closed)
        assert status.sent_alerts == len(reachable)
        assert status.pending_alerts == status.claimed_alerts == 0


async def test_a_vocabulary_tag_no_paper_carries_yet_can_be_followed(
    tmp_path: Path, incoming: Path
) -> None:
    jailbreak = (
        "Many-Shot Jailbreak Defenses",
        "탈옥 공격을 막는 방법에 관한 논문입니다.",
        "A paper about defending language models against jailbreak attacks.",
    )
    async with running_bot(tmp_path, digests=[BUNDLED_DIGESTS, incoming]) as env:
        assert "jailbreak" not in dict(await env.store.tag_counts())
        ix = await env.fake.slash(env.bob, None, "alerts follow", {"tag": "jailbreak"})
        assert "tagged `jailbreak`" in (await ix.original_message()).text
        ix = await env.fake.slash(env.alice, None, "alerts follow", {"tag": "탈옥"})  # an alias
        assert "`jailbreak` 태그 논문이" in (await ix.original_message()).text

        write_weekly(incoming, env.clock().date(), [jailbreak])
        await env.bot.jobs.poll("local")
        await env.bot.jobs.drain_alerts()
        (dm,) = env.fake.dms(env.bob)
        assert "Many-Shot Jailbreak Defenses" in dm.text
        (dm,) = env.fake.dms(env.alice)
        assert "Many-Shot Jailbreak Defenses" in dm.text
