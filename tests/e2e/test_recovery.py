"""An interrupted announcement finishes by itself, exactly once.

The real bot process (``python -m bot run``) is stopped at each point of a post by a request
the emulator holds, killed with SIGKILL and restarted at once; or Discord answers 500s / 429s
for a while. Each case must end with one overview and one message per paper within 60 s of
the restart (or of the storm's end), with no manual step. The process runs with short
leases and recovery intervals (``TEST_TIMING``); ``bench/recovery.py`` measures the same
cycle with the production defaults.

The in-process tests at the end check what admins are told meanwhile (/announce now,
/status) through the emulator.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from fakediscord import FakeDiscord, User
from fakediscord.ratelimits import RateLimitConfig
from tests.e2e.bot_process import KILL_POINTS, BotProcess, Scenario, carries_marker, prepare
from tests.e2e.conftest import Env
from tests.e2e.test_announcements import admin_of, configure

PROMISE = 60.0  # seconds from restart (or the storm's end) to the finished post
REACH = 60.0  # seconds the first process gets to reach the kill point


def _claimed(s: Scenario, d: dict[str, Any]) -> None:
    assert (d["status"], d["overview_message_id"]) == ("claimed", None)
    assert s.fake.messages(s.channel) == []


def _overview_unanswered(s: Scenario, d: dict[str, Any]) -> None:
    assert d["overview_message_id"] is None  # posted, but the bot never heard
    assert len(s.overviews()) == 1


def _thread(s: Scenario, d: dict[str, Any]) -> None:
    assert d["overview_message_id"] is not None
    assert d["thread_id"] is None


def _mid_thread(s: Scenario, d: dict[str, Any]) -> None:
    assert (s.papers, d["papers_posted"]) == (10, 5)
    assert len(s.thread_messages()) == 5


def _last_unanswered(s: Scenario, d: dict[str, Any]) -> None:
    assert (d["status"], d["papers_posted"]) == ("claimed", s.papers - 1)
    assert len(s.thread_messages()) == s.papers  # all posted; not recorded as delivered


# What the store and the emulator hold when the first process is killed at each point.
CHECKS: dict[str, Callable[[Scenario, dict[str, Any]], None]] = {
    "after-claim": _claimed,
    "after-overview": _overview_unanswered,
    "before-thread": _thread,
    "mid-thread": _mid_thread,
    "before-recorded": _last_unanswered,
}


async def finished(scenario: Scenario, since: float, bots: list[BotProcess]) -> float:
    """Seconds from ``since`` until every message is there and the store says ``sent``."""

    def problem() -> str:
        return "\n".join(bot.log()[-3000:] for bot in bots)

    def done() -> bool:  # every message there, and recorded as delivered
        return scenario.complete() and (scenario.delivery() or {}).get("status") == "sent"

    try:
        await scenario.fake.wait_until(done, within=PROMISE, what="the full post")
    except TimeoutError:
        pytest.fail(f"not finished within {PROMISE} s: {scenario.delivery()}\n{problem()}")
    elapsed = time.monotonic() - since
    # A few more recovery rounds: nothing may be posted twice afterwards.
    await asyncio.sleep(3 * scenario.timing["recovery_interval"])
    assert scenario.exactly_once() == [], problem()
    return elapsed


def no_token_in(bots: list[BotProcess], token: str) -> None:
    for bot in bots:
        assert token not in bot.log(), bot.log_path


@pytest.mark.parametrize("point", list(KILL_POINTS))
async def test_killed_bot_finishes_the_post_exactly_once_after_restart(
    tmp_path: Path, point: str, record_property: Callable[[str, object], None]
) -> None:
    # Ten papers where the reported incident was (5 of 10); four elsewhere, which stay under
    # Discord's 5-messages-per-5-s channel limit and keep the matrix quick.
    papers = 10 if point == "mid-thread" else 4
    async with FakeDiscord() as fake:
        scenario = await prepare(fake, tmp_path, papers=papers)
        first, second = BotProcess(scenario, "first"), BotProcess(scenario, "second")
        try:
            held = KILL_POINTS[point](scenario)
            await first.start()
            await fake.wait_until(lambda: held.held > 0, within=REACH, what=f"{point} reached")
            delivery = scenario.delivery()
            assert delivery is not None
            CHECKS[point](scenario, delivery)
            await first.kill()
            held.release()
            await second.start()  # at once: the dead owner's lease is still live
            elapsed = await finished(scenario, second.started, [first, second])
            assert elapsed < PROMISE
            record_property("recovery_seconds", round(elapsed, 2))
            print(f"\nrecovery after SIGKILL at {point}: {elapsed:.2f} s from restart")
            assert (scenario.delivery() or {})["attempts"] == 2
        finally:
            await first.stop()
            assert await second.stop() == 0  # and it still shuts down cleanly
        no_token_in([first, second], fake.token)


async def test_a_500_storm_on_thread_creation_ends_in_one_complete_post(
    tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    async with FakeDiscord() as fake:
        scenario = await prepare(fake, tmp_path, papers=4)
        # discord.py retries a 500 itself, five tries over 25 s, then gives up: one attempt.
        storm = fake.faults.add("POST", "/channels/*/messages/*/threads", status=500, times=5)
        bot = BotProcess(scenario, "bot")
        try:
            await bot.start()
            await fake.wait_until(lambda: storm.exhausted, within=REACH, what="the storm")
            ended = time.monotonic()
            elapsed = await finished(scenario, ended, [bot])
            assert elapsed < PROMISE
            record_property("recovery_seconds", round(elapsed, 2))
            print(f"\npost finished {elapsed:.2f} s after a 500 storm on thread creation")
            assert "transient error 500" in bot.log()  # failed, released, retried
            assert (scenario.delivery() or {})["attempts"] >= 2
        finally:
            assert await bot.stop() == 0
        no_token_in([bot], fake.token)


async def test_a_429_storm_on_paper_messages_ends_in_one_complete_post(
    tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    async with FakeDiscord() as fake:
        scenario = await prepare(fake, tmp_path, papers=4)
        # Twelve 429s on the second paper: discord.py gives up after five in a row, twice.
        storm = fake.faults.add(
            "POST",
            "/channels/*/messages",
            status=429,
            retry_after=0.05,
            times=12,
            when=carries_marker(scenario.paper_marker(1)),
        )
        thread_storm = fake.faults.add(
            "POST", "/channels/*/messages/*/threads", status=429, retry_after=0.05, times=5
        )
        bot = BotProcess(scenario, "bot")
        try:
            await bot.start()
            await fake.wait_until(
                lambda: storm.exhausted and thread_storm.exhausted, within=REACH, what="storm"
            )
            ended = time.monotonic()
            elapsed = await finished(scenario, ended, [bot])
            assert elapsed < PROMISE
            record_property("recovery_seconds", round(elapsed, 2))
            print(f"\npost finished {elapsed:.2f} s after a 429 storm")
            assert (scenario.delivery() or {})["attempts"] >= 3
        finally:
            assert await bot.stop() == 0
        no_token_in([bot], fake.token)


# -- what admins are told meanwhile (the bot in this process, a test clock) ----------------


async def _configured(env: Env) -> tuple[User, int]:
    """An admin, the guild configured through the emulator, and the issue "post now" posts."""
    env.fake.limiter.config = RateLimitConfig(enabled=False)
    admin = admin_of(env)
    await configure(env, admin)
    latest = await env.store.guilds.latest_candidate(("weekly",))
    assert latest is not None
    return admin, latest.document_id


async def status_fields(env: Env, admin: User, locale: str = "en-US") -> dict[str, str]:
    ix = await env.fake.slash(admin, env.channel, "status", {}, locale=locale)
    (embed,) = (await ix.original_message()).embeds
    return {field["name"]: field["value"] for field in embed["fields"]}


async def test_announce_now_and_status_tell_the_truth_about_a_failing_post(env: Env) -> None:
    admin, document_id = await _configured(env)
    # Cloudflare-style 429s: discord.py does not wait, the post fails at once.
    block = env.fake.faults.add(
        "POST", "/channels/*/messages/*/threads", status=429, via=False, times=None
    )
    ix = await env.fake.slash(admin, env.channel, "announce now", {})
    reply = (await ix.original_message()).text
    retry_at = env.clock() + dt.timedelta(seconds=env.settings.scheduler.retry_base)
    local = retry_at.astimezone(ZoneInfo("Asia/Seoul"))
    assert reply == (
        "Could not post this time (Discord asked the bot to slow down); I will try again by"
        f" myself at {local:%H:%M:%S} (Asia/Seoul)."
    )

    status = await status_fields(env, admin)
    next_attempt = f"{local:%Y-%m-%d %H:%M:%S}"
    assert status["Announcements under way"] == (
        f"<#{env.channel.id}>: next attempt {next_attempt} (Asia/Seoul)"
    )
    assert status["Failures"].startswith(
        "announcement (attempt 1, retrying): Discord asked the bot to slow down"
    )
    korean = await status_fields(env, admin, locale="ko")
    assert korean["진행 중인 공지"] == f"<#{env.channel.id}>: 다음 시도 {next_attempt} (Asia/Seoul)"
    assert korean["실패"].startswith("공지 (1번째 시도, 재시도 예정): Discord가 요청을 줄이라고 함")

    env.fake.faults.remove(block)
    assert await env.bot.jobs.recover() == []  # not before its retry time
    env.clock.advance(seconds=env.settings.scheduler.retry_base)
    (recovered,) = await env.bot.jobs.recover()
    assert (recovered.outcome, recovered.document_id) == ("sent", document_id)
    status = await status_fields(env, admin)
    assert "Announcements under way" not in status
    assert status["Failures"] == "none"


async def test_announce_now_is_not_busy_when_the_worker_is_dead(env: Env) -> None:
    admin, document_id = await _configured(env)
    # A worker claimed the post and died (its process was killed): nobody renews the claim.
    timing = env.settings.scheduler
    claim = await env.store.guilds.claim_delivery(
        env.guild.id,
        document_id,
        owner="dead:1:x",
        now=env.clock(),
        lease=dt.timedelta(seconds=timing.lease),
    )
    assert claim is not None
    ix = await env.fake.slash(admin, env.channel, "announce now", {})
    assert (await ix.original_message()).text == "An announcement is being posted right now."

    env.clock.advance(seconds=timing.lease_renew_every * 3)  # three renewals missed
    ix = await env.fake.slash(admin, env.channel, "announce now", {})
    reply = (await ix.original_message()).text
    resumes = claim.delivery.lease_until + dt.timedelta(seconds=timing.recovery_interval)  # type: ignore[operator]
    assert reply == (
        "The last attempt was interrupted (the bot stopped); it resumes by itself by"
        f" {resumes.astimezone(ZoneInfo('Asia/Seoul')):%H:%M:%S} (Asia/Seoul)."
    )
    status = await status_fields(env, admin)
    assert status["Failures"] == "announcement interrupted after 0 papers (the bot stopped)"
    assert "interrupted, resumes by itself by" in status["Announcements under way"]

    env.clock.advance(seconds=timing.lease)
    (recovered,) = await env.bot.jobs.recover()
    assert recovered.outcome == "sent"
    record = await env.store.guilds.get_delivery(env.guild.id, document_id)
    assert record is not None
    assert (record.status, record.attempts) == ("sent", 2)
    assert len(env.fake.messages(env.channel, include_ephemeral=False)) == 1
