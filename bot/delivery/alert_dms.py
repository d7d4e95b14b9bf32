"""Draining the alert outbox: one DM per (user, issue), under Discord's rate limits.

The outbox rows were written by the ingest hook in the same transaction as the papers, so
nothing is lost between "stored" and "queued". Here rows are claimed in batches with a lease
(``AlertStore.claim_alerts``), sent through the rate limiter, and marked:

- sent -> ``sent`` (with the DM's message id);
- ``ClosedDMs`` (403/50007) or unknown user (404) -> the user is marked unreachable (their
  pending alerts cancelled, a notice waiting for their next command) and the row ``failed``;
- ``Transient`` (5xx, timeouts) or an unexpected error -> back to ``pending`` with
  ``next_attempt_at`` after an exponential backoff, until ``max_attempts`` -> ``failed``;
- other 403s -> ``failed`` with the reason (retrying would not help).

A worker that crashes after sending but before marking leaves a claim whose lease expires;
the next claim is flagged ``recovered`` and the worker first looks for the alert's marker in
the DM channel, so the user does not get it twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass

from bot.clock import Clock, utcnow
from bot.render.announcements import alert_embeds, alert_marker, has_marker
from bot.render.discovery import papers_actions, picks_embeds
from bot.store import IssueRecord, PaperRecord, Store
from bot.store.community.alerts import AlertClaim

from .announcer import owner_token
from .backoff import Backoff
from .courier import ClosedDMs, Courier, Forbidden, NotFound, Transient
from .ratelimit import RateLimiter

__all__ = ["AlertWorker", "DrainReport"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class DrainReport:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    unreachable: int = 0
    recovered: int = 0  # found already sent by a crashed worker: not sent again
    lost: int = 0  # another worker took the claim over


class AlertWorker:
    """Sends queued alert DMs; ``drain`` is called by a periodic job and after each ingest."""

    def __init__(
        self,
        store: Store,
        courier: Courier,
        *,
        clock: Clock = utcnow,
        limiter: RateLimiter | None = None,
        owner: str | None = None,
        lease: dt.timedelta = dt.timedelta(minutes=2),
        backoff: Backoff | None = None,
        max_attempts: int = 5,
        batch: int = 100,
        concurrency: int = 8,
    ) -> None:
        self.store = store
        self.courier = courier
        self.clock = clock
        self.limiter = limiter or RateLimiter(40.0)
        self.owner = owner or owner_token()
        self.lease = lease
        self.backoff = backoff or Backoff()
        self.max_attempts = max_attempts
        self.batch = batch
        self.concurrency = concurrency

    async def drain(self, now: dt.datetime | None = None, max_items: int = 10_000) -> DrainReport:
        """Send due alerts until none is due or ``max_items`` were handled.

        With ``now`` given, every claim and backoff uses it (tests); otherwise the clock is
        read per batch. Rows retried during this drain are due later, so it always ends.

        At most ``concurrency`` sends run at once, and the next batch is claimed as soon as
        the last alerts of the previous one are handed to senders (not after they are sent),
        so the senders never wait for the database between batches and the rate limiter's
        tokens are not wasted. An error that escapes a send stops the claiming; the sends
        already started finish, then the error is raised.
        """
        report = DrainReport()
        issues: dict[int, IssueRecord | None] = {}
        papers: dict[int, PaperRecord] = {}
        gate = asyncio.Semaphore(self.concurrency)
        running: set[asyncio.Task[None]] = set()
        errors: list[BaseException] = []

        async def one(claim: AlertClaim) -> None:
            try:
                await self._send(claim, issues[claim.document_id], papers, now, report)
            except asyncio.CancelledError:
                raise
            except BaseException as exc:  # raised by drain once the others are done
                errors.append(exc)
            finally:
                gate.release()

        try:
            while report.claimed < max_items and not errors:
                current = now or self.clock()
                claims = await self.store.alerts.claim_alerts(
                    owner=self.owner,
                    now=current,
                    lease=self.lease,
                    limit=min(self.batch, max_items - report.claimed),
                )
                if not claims:
                    break
                report.claimed += len(claims)
                for claim in claims:
                    if claim.document_id not in issues:
                        issues[claim.document_id] = await self.store.get_issue(claim.document_id)
                missing = sorted({pid for c in claims for pid in c.paper_ids} - papers.keys())
                for record in await self.store.get_papers(missing):
                    papers[record.id] = record
                for claim in claims:  # claimed already: every one is sent, even after an error
                    await gate.acquire()
                    task = asyncio.create_task(one(claim))
                    running.add(task)
                    task.add_done_callback(running.discard)
            if running:
                await asyncio.wait(set(running))
        except asyncio.CancelledError:
            for task in running:
                task.cancel()
            raise
        if errors:
            raise errors[0]
        return report

    async def _send(
        self,
        claim: AlertClaim,
        issue: IssueRecord | None,
        papers: dict[int, PaperRecord],
        now: dt.datetime | None,
        report: DrainReport,
    ) -> None:
        matches = [(papers[pid], labels) for pid, labels in claim.matches if pid in papers]
        picks = [(papers[pid], reasons) for pid, reasons in claim.picks if pid in papers]
        if issue is None or not (matches or picks):
            await self.store.alerts.fail_alert(claim, now or self.clock(), "issue or papers gone")
            report.failed += 1
            return
        try:
            if claim.recovered:
                marker = alert_marker(claim.document_id)
                for message in await self.courier.recent_dms(claim.user_id, 10):
                    if has_marker(message.texts, marker):
                        await self._mark_sent(claim, now, message.id, report, recovered=True)
                        return
            await self.limiter.acquire()
            embeds = alert_embeds(issue, matches, claim.locale) if matches else []
            embeds = picks_embeds(
                embeds, issue, picks, claim.locale, marker=alert_marker(claim.document_id)
            )
            listed = [paper for paper, _ in (*matches, *picks)]
            message_id = await self.courier.send_dm(
                claim.user_id, embeds, components=papers_actions(listed, claim.locale)
            )
        except (ClosedDMs, NotFound) as exc:
            when = now or self.clock()
            reason = "closed_dms" if isinstance(exc, ClosedDMs) else "unknown_user"
            await self.store.alerts.fail_alert(claim, when, reason)
            await self.store.alerts.mark_unreachable(claim.user_id, when, reason)
            report.unreachable += 1
            return
        except Forbidden as exc:
            await self.store.alerts.fail_alert(claim, now or self.clock(), f"forbidden:{exc.code}")
            report.failed += 1
            return
        except Exception as exc:  # Transient, or a bug: retry, bounded by max_attempts
            if not isinstance(exc, Transient):
                log.exception("unexpected error sending alert %s", claim.id)
            await self._retry(claim, exc, now, report)
            return
        await self._mark_sent(claim, now, message_id, report, recovered=False)

    async def _mark_sent(
        self,
        claim: AlertClaim,
        now: dt.datetime | None,
        message_id: int,
        report: DrainReport,
        *,
        recovered: bool,
    ) -> None:
        if await self.store.alerts.mark_alert_sent(claim, now or self.clock(), message_id):
            if recovered:
                report.recovered += 1
            else:
                report.sent += 1
        else:
            report.lost += 1

    async def _retry(
        self, claim: AlertClaim, exc: Exception, now: dt.datetime | None, report: DrainReport
    ) -> None:
        when = now or self.clock()
        error = f"{type(exc).__name__}: {exc}"
        if claim.attempts >= self.max_attempts:
            await self.store.alerts.fail_alert(
                claim, when, f"gave up after {claim.attempts} attempts: {error}"
            )
            report.failed += 1
            return
        retry_after = exc.retry_after if isinstance(exc, Transient) else None
        next_at = when + self.backoff.delay(claim.attempts, retry_after)
        await self.store.alerts.retry_alert(claim, now=when, next_attempt_at=next_at, error=error)
        report.retried += 1
