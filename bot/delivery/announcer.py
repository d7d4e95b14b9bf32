"""Posting new issues to each guild's channel, exactly once, on the guild's schedule.

``run_due`` is what the scheduler calls at each slot and once at start-up. It asks the
database what is due (``GuildStore.due_for_guild``), claims the delivery, and posts step by
step, recording each step under its claim:

1. the summary of missed issues (only after downtime), marker ``paperbot:missed:<id>``;
2. the overview with the role ping, marker ``paperbot:issue:<id>``;
3. a thread on the overview;
4. one message per paper in the thread, marker ``paperbot:paper:<id>:<n>``, ``papers_posted``
   counted after each.

While a worker lives, a background task renews its lease every ``renew_every`` (besides
the renewal at each step), so the lease can be short: a crash anywhere leaves a claim whose
lease runs out within ``lease``, and ``recover`` (run every few seconds by the scheduler, and
by ``run_due``) takes it over. Since an earlier attempt may have posted a step without
recording it, a resumed delivery looks for that step's marker in the recent history before
posting it. Two instances racing claim the same row: one wins, the other gets None and does
nothing; an owner that loses its lease (paused past it) learns it at its next step (or from
its renewal task) and stops.

Permission errors (403) and a deleted channel (404) disable the guild until its settings
change (no retry storm; the admin is told once). Transient errors release the claim until a
retry time (``backoff``, capped so a post finishes soon after Discord recovers); unexpected
errors likewise, on the slower ``error_backoff``. Recovery retries both.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.clock import Clock, utcnow
from bot.render.announcements import (
    has_marker,
    issue_marker,
    missed_summary_message,
    overview_message,
    paper_marker,
    paper_message,
    summary_marker,
    thread_name,
)
from bot.render.message import Attachment, Message
from bot.store import IssueRecord, PaperRecord, Store
from bot.store.community.guilds import (
    RELEASED,
    DeliveryClaim,
    DeliveryRecord,
    DeliveryState,
    GuildSettings,
    delivery_state,
)

from .backoff import Backoff
from .courier import Courier, Forbidden, NotFound, Transient

__all__ = ["AnnounceResult", "Announcer", "Preview", "owner_token"]

log = logging.getLogger(__name__)

# busy: a live worker is posting it; stalled: its worker stopped, recovery resumes it at
# ``retry_at``; retry: failed for now, retried at ``retry_at``.
Outcome = Literal["sent", "busy", "stalled", "failed", "retry", "lost", "nothing", "already"]


def owner_token() -> str:
    """Identifies one running worker in claims: host, process and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True, slots=True)
class AnnounceResult:
    guild_id: int
    document_id: int | None
    outcome: Outcome
    error: str | None = None
    missed: tuple[int, ...] = ()
    retry_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Preview:
    """What would be posted, without posting: the overview, then each thread message."""

    issue: IssueRecord
    overview: Message
    thread_name: str
    papers: list[Message] = field(default_factory=list)


class _LeaseLostError(Exception):
    """Another owner took the delivery over: stop without touching it."""


class _Lease:
    """A claim held by this worker, renewed in the background until ``stop``."""

    def __init__(self, announcer: Announcer, claim: DeliveryClaim) -> None:
        self.claim = claim
        self.lost = False
        self._announcer = announcer
        self._task = asyncio.create_task(self._renew(), name=f"lease-{claim.delivery.id}")

    def check(self) -> None:
        """Before each post: never post under a lease known to be lost."""
        if self.lost:
            raise _LeaseLostError

    async def _renew(self) -> None:
        announcer = self._announcer
        every = announcer.renew_every.total_seconds()
        while True:
            await asyncio.sleep(every)
            try:
                held = await announcer.store.guilds.record_progress(
                    self.claim, now=announcer.clock(), lease=announcer.lease
                )
            except Exception:  # a busy database: the next renewal (or step) tries again
                log.warning("renewing the claim on delivery %s failed", self.claim.delivery.id)
                continue
            if not held:
                self.lost = True
                return

    async def stop(self) -> None:
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)


class Announcer:
    """Announces due issues in every configured guild (or one) through a ``Courier``."""

    def __init__(
        self,
        store: Store,
        courier: Courier,
        *,
        clock: Clock = utcnow,
        owner: str | None = None,
        lease: dt.timedelta = dt.timedelta(minutes=5),
        renew_every: dt.timedelta | None = None,
        recovery_every: dt.timedelta = dt.timedelta(0),
        backoff: Backoff | None = None,
        error_backoff: Backoff | None = None,
        history_limit: int = 50,
        overview_files: Callable[[GuildSettings], Awaitable[Sequence[Attachment]]] | None = None,
    ) -> None:
        self.store = store
        self.courier = courier
        self.clock = clock
        self.owner = owner or owner_token()
        self.lease = lease
        self.renew_every = renew_every or lease / 4
        self.recovery_every = recovery_every  # only to tell admins when recovery comes
        self.backoff = backoff or Backoff(dt.timedelta(minutes=1), dt.timedelta(hours=1))
        self.error_backoff = error_backoff or Backoff(
            dt.timedelta(minutes=1), dt.timedelta(hours=1)
        )
        self.history_limit = history_limit
        self.overview_files = overview_files  # e.g. the trend chart a server chose; never fails

    @property
    def renewed_within(self) -> dt.timedelta:
        """A claim renewed more recently than this has a live worker (two renewals missed:
        it has not)."""
        return self.renew_every * 2 + dt.timedelta(seconds=1)

    def state(self, record: DeliveryRecord, now: dt.datetime) -> DeliveryState:
        return delivery_state(record, now, renewed_within=self.renewed_within)

    def next_attempt(self, record: DeliveryRecord) -> dt.datetime | None:
        """A waiting delivery's retry time; when recovery takes a stalled one over, at the
        latest (its lease runs out, then the next recovery run comes)."""
        if record.lease_until is None:
            return None
        if record.claim_owner == RELEASED:
            return record.lease_until
        return record.lease_until + self.recovery_every

    # -- entry points ---------------------------------------------------------------------

    async def run_due(
        self, now: dt.datetime | None = None, *, guild_id: int | None = None
    ) -> list[AnnounceResult]:
        """Resume crashed deliveries, then post what is due, in every enabled guild (or one).

        A failure in one guild is logged and reported; the others still run.
        """
        now = now or self.clock()
        if guild_id is not None:
            one = await self.store.guilds.get_guild(guild_id)
            guilds = [one] if one is not None and one.enabled else []
        else:
            guilds = await self.store.guilds.configured_guilds(enabled_only=True)
        results: list[AnnounceResult] = []
        for settings in guilds:
            try:
                results.extend(await self._run_guild(settings, now))
            except Exception as exc:  # one guild's bug must not stop the others
                log.exception("announcing in guild %s failed", settings.guild_id)
                results.append(AnnounceResult(settings.guild_id, None, "failed", repr(exc)))
        return results

    async def recover(self, now: dt.datetime | None = None) -> list[AnnounceResult]:
        """Take over every stalled claim and every released one whose retry time came, in
        all enabled guilds at once (one outage can leave many), each guild's in order."""
        now = now or self.clock()
        by_guild: dict[int, list[DeliveryRecord]] = {}
        for record in await self.store.guilds.stale_deliveries(now):
            by_guild.setdefault(record.guild_id, []).append(record)
        runs = []
        for guild_id, records in by_guild.items():
            settings = await self.store.guilds.get_guild(guild_id)
            if settings is not None and settings.enabled:
                runs.append(self._resume(settings, records, now))
        results: list[AnnounceResult] = []
        for outcome in await asyncio.gather(*runs, return_exceptions=True):
            if isinstance(outcome, BaseException):
                log.error("recovering an announcement failed", exc_info=outcome)
            else:
                results.extend(outcome)
        return results

    async def post_now(self, guild_id: int, now: dt.datetime | None = None) -> AnnounceResult:
        """Post the newest issue of the guild's kinds now (an admin's "post now"), unless it
        was already delivered there. Ignores the schedule and the baseline."""
        now = now or self.clock()
        settings = await self.store.guilds.get_guild(guild_id)
        if settings is None:
            return AnnounceResult(guild_id, None, "nothing", "not configured")
        latest = await self.store.guilds.latest_candidate(settings.kinds)
        if latest is None:
            return AnnounceResult(guild_id, None, "nothing")
        document_id = latest.document_id
        existing = await self.store.guilds.get_delivery(guild_id, document_id)
        if existing is not None and existing.status in ("sent", "skipped"):
            return AnnounceResult(guild_id, document_id, "already")
        if existing is not None and existing.status == "failed":  # waits for a settings change
            return AnnounceResult(guild_id, document_id, "failed", existing.last_error)
        # A delivery waiting for its retry time is retried now: the admin asked for it.
        result = await self._claim_and_deliver(settings, document_id, (), now, skip_backoff=True)
        if result.outcome != "busy":
            return result
        held = await self.store.guilds.get_delivery(guild_id, document_id)
        if held is None or held.status != "claimed" or self.state(held, now) == "posting":
            return result
        # Its worker stopped (a killed process) but its lease has not run out yet.
        return AnnounceResult(
            guild_id, document_id, "stalled", held.last_error, retry_at=self.next_attempt(held)
        )

    async def preview(self, guild_id: int, document_id: int | None = None) -> Preview | None:
        """The messages an announcement of ``document_id`` (default: the newest issue of the
        guild's kinds, even one before the baseline) would post; nothing is sent."""
        settings = await self.store.guilds.get_guild(guild_id)
        if settings is None:
            return None
        if document_id is None:
            latest = await self.store.guilds.latest_candidate(settings.kinds)
            if latest is None:
                return None
            document_id = latest.document_id
        issue = await self.store.get_issue(document_id)
        if issue is None:
            return None
        papers = await self.store.issue_papers(document_id)
        lang = settings.language
        return Preview(
            issue=issue,
            overview=self._overview(issue, papers, settings),
            thread_name=thread_name(issue, lang),
            papers=[paper_message(issue, paper, i, lang) for i, paper in enumerate(papers)],
        )

    # -- internals ------------------------------------------------------------------------

    async def _resume(
        self, settings: GuildSettings, stale: Sequence[DeliveryRecord], now: dt.datetime
    ) -> list[AnnounceResult]:
        results: list[AnnounceResult] = []
        for record in stale:
            result = await self._claim_and_deliver(settings, record.document_id, (), now)
            results.append(result)
            if result.outcome == "failed":
                break  # the guild is disabled now
        return results

    async def _run_guild(self, settings: GuildSettings, now: dt.datetime) -> list[AnnounceResult]:
        stale = await self.store.guilds.stale_deliveries(now, settings.guild_id)
        results = await self._resume(settings, stale, now)
        if any(result.outcome == "failed" for result in results):
            return results  # the guild is disabled now
        due = await self.store.guilds.due_for_guild(settings.guild_id, now)
        if due.post is not None:
            missed = tuple(issue.document_id for issue in due.missed)
            results.append(
                await self._claim_and_deliver(settings, due.post.document_id, missed, now)
            )
        return results

    async def _claim_and_deliver(
        self,
        settings: GuildSettings,
        document_id: int,
        missed: Sequence[int],
        now: dt.datetime,
        *,
        skip_backoff: bool = False,
    ) -> AnnounceResult:
        claim = await self.store.guilds.claim_delivery(
            settings.guild_id,
            document_id,
            owner=self.owner,
            now=now,
            lease=self.lease,
            channel_id=settings.channel_id,
            missed=missed,
            skip_backoff=skip_backoff,
        )
        if claim is None:
            return AnnounceResult(settings.guild_id, document_id, "busy")
        lease = _Lease(self, claim)
        try:
            await self._deliver(lease, settings)
        except _LeaseLostError:
            return AnnounceResult(settings.guild_id, document_id, "lost")
        except (Forbidden, NotFound) as exc:
            when = self.clock()
            reason = "forbidden" if isinstance(exc, Forbidden) else "not_found"
            detail = f"{reason}:{exc.code}"
            if await self.store.guilds.disable_guild(settings.guild_id, detail, when):
                log.warning("announcements disabled in guild %s: %s", settings.guild_id, exc)
            await self.store.guilds.fail_delivery(claim, when, detail)
            return AnnounceResult(settings.guild_id, document_id, "failed", detail)
        except Transient as exc:
            return await self._release(claim, self.backoff, str(exc), exc.retry_after)
        except Exception as exc:  # a bug or an answer we did not expect: retry, slowly
            log.exception("announcing issue %s in guild %s failed", document_id, settings.guild_id)
            return await self._release(claim, self.error_backoff, f"{type(exc).__name__}: {exc}")
        finally:
            await lease.stop()
        return AnnounceResult(settings.guild_id, document_id, "sent", missed=claim.missed)

    async def _release(
        self, claim: DeliveryClaim, backoff: Backoff, error: str, retry_after: float | None = None
    ) -> AnnounceResult:
        when = self.clock()
        retry_at = when + backoff.delay(claim.delivery.attempts, retry_after)
        await self.store.guilds.release_delivery(claim, retry_at=retry_at, now=when, error=error)
        delivery = claim.delivery
        log.warning(
            "announcing issue %s in guild %s: %s; retrying at %s",
            delivery.document_id,
            delivery.guild_id,
            error,
            retry_at.isoformat(timespec="seconds"),
        )
        return AnnounceResult(
            delivery.guild_id, delivery.document_id, "retry", error, retry_at=retry_at
        )

    def _overview(
        self, issue: IssueRecord, papers: Sequence[PaperRecord], settings: GuildSettings
    ) -> Message:
        source = issue.source if issue.source.startswith(("http://", "https://")) else None
        return overview_message(
            issue, papers, settings.language, role_id=settings.role_id, source_url=source
        )

    async def _record(self, claim: DeliveryClaim, **step: int) -> None:
        if not await self.store.guilds.record_progress(
            claim, now=self.clock(), lease=self.lease, **step
        ):
            raise _LeaseLostError

    async def _find(self, channel_id: int, marker: str, limit: int) -> int | None:
        for message in await self.courier.recent_messages(channel_id, limit):
            if has_marker(message.texts, marker):
                return message.id
        return None

    async def _with_files(self, message: Message, settings: GuildSettings) -> Message:
        if self.overview_files is None:
            return message
        files = tuple(await self.overview_files(settings))
        return dataclasses.replace(message, attachments=files)

    async def _post(self, lease: _Lease, channel_id: int, message: Message) -> int:
        lease.check()
        # Files and components only when there are some: a courier that never carries them
        # need not know the keywords.
        extra: dict[str, Any] = {}
        if message.attachments:
            extra["files"] = message.attachments
        if message.components:
            extra["components"] = message.components
        return await self.courier.post_message(
            channel_id, message.content or "", message.embeds, message.allowed_role_id, **extra
        )

    async def _deliver(self, lease: _Lease, settings: GuildSettings) -> None:
        claim = lease.claim
        delivery = claim.delivery
        document_id = delivery.document_id
        issue = await self.store.get_issue(document_id)
        if issue is None:  # deleted since: nothing to post, and nothing will be
            await self.store.guilds.finish_delivery(claim, self.clock())
            return
        papers = await self.store.issue_papers(document_id)
        lang = settings.language
        channel = delivery.channel_id or settings.channel_id
        resumed = claim.resumed

        if claim.missed and delivery.summary_message_id is None:
            marker = summary_marker(document_id)
            found = await self._find(channel, marker, self.history_limit) if resumed else None
            if found is None:
                issues = [await self.store.get_issue(doc) for doc in claim.missed]
                message = missed_summary_message(
                    issue, [one for one in issues if one is not None], lang
                )
                found = await self._post(lease, channel, message)
            await self._record(claim, summary_message_id=found)

        overview_id = delivery.overview_message_id
        if overview_id is None:
            marker = issue_marker(document_id)
            found = await self._find(channel, marker, self.history_limit) if resumed else None
            overview_id = found or await self._post(
                lease,
                channel,
                await self._with_files(self._overview(issue, papers, settings), settings),
            )
            await self._record(claim, overview_message_id=overview_id)

        if papers:
            thread_id = delivery.thread_id
            if thread_id is None:
                lease.check()
                thread_id = await self.courier.create_thread(
                    channel, overview_id, thread_name(issue, lang)
                )
                await self._record(claim, thread_id=thread_id)
            posted = delivery.papers_posted
            if resumed and posted < len(papers):
                posted = await self._papers_found(thread_id, document_id, posted, len(papers))
            for index in range(posted, len(papers)):
                await self._post(lease, thread_id, paper_message(issue, papers[index], index, lang))
                await self._record(claim, papers_posted=index + 1)

        if not await self.store.guilds.finish_delivery(claim, self.clock()):
            raise _LeaseLostError

    async def _papers_found(
        self, thread_id: int, document_id: int, recorded: int, total: int
    ) -> int:
        """How many papers the thread really holds: the highest paper marker found + 1."""
        recent = await self.courier.recent_messages(thread_id, total - recorded + 5)
        found = recorded
        for index in range(recorded, total):
            marker = paper_marker(document_id, index)
            if any(has_marker(message.texts, marker) for message in recent):
                found = index + 1
        return found
