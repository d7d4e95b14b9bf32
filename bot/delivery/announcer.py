"""Posting new issues to each guild's channel, exactly once, on the guild's schedule.

``run_due`` is what the scheduler calls at each slot and once at start-up. It asks the
database what is due (``GuildStore.due_for_guild``), claims the delivery, and posts step by
step, recording each step under its claim:

1. the summary of missed issues (only after downtime), marker ``paperbot:missed:<id>``;
2. the overview with the role ping, marker ``paperbot:issue:<id>``;
3. a thread on the overview;
4. one message per paper in the thread, marker ``paperbot:paper:<id>:<n>``, ``papers_posted``
   counted after each.

A crash anywhere leaves a claim whose lease expires; the next run takes it over and, since an
earlier attempt may have posted a step without recording it, looks for that step's marker in
the recent history before posting it. Two instances racing claim the same row: one wins, the
other gets None and does nothing; an owner that loses its lease (paused past it) learns it at
its next recorded step and stops.

Permission errors (403) and a deleted channel (404) disable the guild until its settings
change (no retry storm; the admin is told once); transient errors keep the claim and retry
after a backoff by letting its lease run out later.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

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
from bot.render.message import Message
from bot.store import IssueRecord, PaperRecord, Store
from bot.store.guilds import DeliveryClaim, GuildSettings

from .backoff import Backoff
from .courier import Courier, Forbidden, NotFound, Transient

__all__ = ["AnnounceResult", "Announcer", "Preview", "owner_token"]

log = logging.getLogger(__name__)

Outcome = Literal["sent", "busy", "failed", "retry", "lost", "nothing", "already"]


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


@dataclass(frozen=True, slots=True)
class Preview:
    """What would be posted, without posting: the overview, then each thread message."""

    issue: IssueRecord
    overview: Message
    thread_name: str
    papers: list[Message] = field(default_factory=list)


class _LeaseLostError(Exception):
    """Another owner took the delivery over: stop without touching it."""


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
        backoff: Backoff | None = None,
        history_limit: int = 50,
    ) -> None:
        self.store = store
        self.courier = courier
        self.clock = clock
        self.owner = owner or owner_token()
        self.lease = lease
        self.backoff = backoff or Backoff(dt.timedelta(minutes=1), dt.timedelta(hours=1))
        self.history_limit = history_limit

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
        existing = await self.store.guilds.get_delivery(guild_id, latest.document_id)
        if existing is not None and existing.status in ("sent", "skipped"):
            return AnnounceResult(guild_id, latest.document_id, "already")
        return await self._claim_and_deliver(settings, latest.document_id, (), now)

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

    async def _run_guild(self, settings: GuildSettings, now: dt.datetime) -> list[AnnounceResult]:
        results: list[AnnounceResult] = []
        for stale in await self.store.guilds.stale_deliveries(now, settings.guild_id):
            result = await self._claim_and_deliver(settings, stale.document_id, (), now)
            results.append(result)
            if result.outcome == "failed":
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
    ) -> AnnounceResult:
        claim = await self.store.guilds.claim_delivery(
            settings.guild_id,
            document_id,
            owner=self.owner,
            now=now,
            lease=self.lease,
            channel_id=settings.channel_id,
            missed=missed,
        )
        if claim is None:
            return AnnounceResult(settings.guild_id, document_id, "busy")
        try:
            await self._deliver(claim, settings)
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
            when = self.clock()
            retry_at = when + self.backoff.delay(claim.delivery.attempts, exc.retry_after)
            await self.store.guilds.release_delivery(
                claim, retry_at=retry_at, now=when, error=str(exc)
            )
            return AnnounceResult(settings.guild_id, document_id, "retry", str(exc))
        return AnnounceResult(settings.guild_id, document_id, "sent", missed=claim.missed)

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

    async def _post(self, channel_id: int, message: Message) -> int:
        return await self.courier.post_message(
            channel_id,
            message.content or "",
            message.embeds,
            message.allowed_role_id,
            components=message.components,
        )

    async def _deliver(self, claim: DeliveryClaim, settings: GuildSettings) -> None:
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
                found = await self._post(channel, message)
            await self._record(claim, summary_message_id=found)

        overview_id = delivery.overview_message_id
        if overview_id is None:
            marker = issue_marker(document_id)
            found = await self._find(channel, marker, self.history_limit) if resumed else None
            overview_id = found or await self._post(
                channel, self._overview(issue, papers, settings)
            )
            await self._record(claim, overview_message_id=overview_id)

        if papers:
            thread_id = delivery.thread_id
            if thread_id is None:
                thread_id = await self.courier.create_thread(
                    channel, overview_id, thread_name(issue, lang)
                )
                await self._record(claim, thread_id=thread_id)
            posted = delivery.papers_posted
            if resumed and posted < len(papers):
                posted = await self._papers_found(thread_id, document_id, posted, len(papers))
            for index in range(posted, len(papers)):
                await self._post(thread_id, paper_message(issue, papers[index], index, lang))
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
