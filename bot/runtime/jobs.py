"""APScheduler wiring: announcement slots, the alert outbox drain and source polls.

The scheduler only wakes workers; the database decides what is due
(``bot.store.community.slots``), so a missed wake-up costs nothing: the catch-up run at start-up
(and the next slot) finds it.

- ``Jobs`` holds the job functions. They take no arguments but a guild id or a source name and
  read time from an injected clock, so tests call them directly instead of waiting for
  APScheduler.
- ``PaperScheduler`` owns one APScheduler 3 ``AsyncIOScheduler``, started inside the running
  loop (``PaperBot.setup_hook``) and shut down in ``PaperBot.close``: one announcement job per
  configured guild (a ``SlotTrigger`` from the guild's ``Schedule``, re-created whenever the
  settings change), an interval job draining the alert outbox, one interval job per
  digest source, and the recovery job: every few seconds it resumes announcements whose
  worker died (lease expired) or whose retry time came, so none waits for the next slot.

At scale: announcements run through a bounded pool (``announce_concurrency`` guilds at once,
whether 1,000 slot jobs fire in the same minute or the start-up catch-up finds them all due);
the courier paces the requests to the global limit. A process runs only the guilds of its
shards (``bot.runtime.sharding``), and drains the alert outbox only with ``drain_outbox``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.base import BaseTrigger  # type: ignore[import-untyped]
from apscheduler.triggers.cron import CronTrigger  # type: ignore[import-untyped]
from apscheduler.triggers.interval import IntervalTrigger  # type: ignore[import-untyped]

from bot.clock import Clock, utcnow
from bot.delivery import AlertWorker, Announcer, AnnounceResult, DrainReport
from bot.digests.sources import Source
from bot.ingest.poll import SourceJob, SourceRead, read_source
from bot.runtime.metrics import Metrics
from bot.runtime.sharding import Shards
from bot.store import Store
from bot.store.community.slots import Schedule

__all__ = ["Jobs", "PaperScheduler", "Periodic", "PollReport"]

log = logging.getLogger(__name__)

T = TypeVar("T")

ALERT_JOB = "alerts:drain"
RECOVERY_JOB = "recovery:announcements"  # not "announce:<guild>": those are per server
# Recovery runs overlap while a long post is in flight (claims keep them apart); without a
# high limit APScheduler would skip, and warn about, every tick meanwhile.
RECOVERY_MAX_INSTANCES = 50
# Guilds announcing at once: enough to keep the request budget busy while some wait on a
# channel's own limit (5 messages per 5 s), few enough to bound memory and open claims.
ANNOUNCE_CONCURRENCY = 64


def announce_job_id(guild_id: int) -> str:
    return f"announce:{guild_id}"


def source_job_id(name: str) -> str:
    return f"source:{name}"


@dataclass(frozen=True, slots=True)
class PollReport(SourceRead):
    """One read of a source and the alert DMs it let out (when this process drains them)."""

    alerts: DrainReport | None = None

    @property
    def new_papers(self) -> int:
        return len(self.new_paper_ids)


@dataclass
class _Tracked:
    """Job runs in flight, so that shutdown can let them finish (or cancel them)."""

    tasks: set[asyncio.Task[Any]] = field(default_factory=set)

    async def run(self, work: Awaitable[T]) -> T:
        task = asyncio.current_task()
        if task is not None:
            self.tasks.add(task)
        try:
            return await work
        finally:
            if task is not None:
                self.tasks.discard(task)


@dataclass(frozen=True, slots=True)
class Periodic:
    """Another interval job (e.g. the retention purge), wired in by ``bot.app``."""

    job_id: str
    run: Callable[[], Awaitable[object]]
    interval: float  # seconds


class Jobs:
    """What the scheduler runs. Every job is safe to run twice or concurrently: claims in the
    database make announcements and alerts exactly-once."""

    def __init__(
        self,
        *,
        store: Store,
        announcer: Announcer,
        alerts: AlertWorker,
        sources: Sequence[SourceJob] = (),
        clock: Clock = utcnow,
        shards: Shards = Shards(),  # noqa: B008 - frozen, immutable
        drain_outbox: bool = True,
        metrics: Metrics | None = None,
        announce_concurrency: int = ANNOUNCE_CONCURRENCY,
    ) -> None:
        self.store = store
        self.announcer = announcer
        self.alerts = alerts
        self.sources = {job.source.name: job for job in sources}
        self.clock = clock
        self.tracked = _Tracked()
        self.shards = shards
        self.drain_outbox = drain_outbox
        self.metrics = metrics
        self._announcing = asyncio.Semaphore(announce_concurrency)

    async def announce(self, guild_id: int) -> list[AnnounceResult]:
        """A guild's slot came: post what the database says is due there."""
        if not self.shards.owns(guild_id):  # another process's shard: its guild, its post
            return []
        return await self.tracked.run(self._announce_in(guild_id))

    async def _announce_in(self, guild_id: int) -> list[AnnounceResult]:
        async with self._announcing:
            results = await self.announcer.run_due(self.clock(), guild_id=guild_id)
        if self.metrics is not None:
            self.metrics.observe_announcements(results)
        return results

    async def catch_up(self) -> list[AnnounceResult]:
        """At start-up: resume crashed posts and post what fell due while we were away, in
        every guild of our shards, through the pool."""
        guilds = [
            settings.guild_id
            for settings in await self.store.guilds.configured_guilds(enabled_only=True)
            if self.shards.owns(settings.guild_id)
        ]
        per_guild = await self.tracked.run(
            asyncio.gather(
                *(self._announce_in(guild_id) for guild_id in guilds), return_exceptions=True
            )
        )
        results = []
        for guild_id, outcome in zip(guilds, per_guild, strict=True):
            if isinstance(outcome, BaseException):  # one server's failure stays its own
                if isinstance(outcome, asyncio.CancelledError):
                    raise outcome
                log.error("catch-up in guild %s failed", guild_id, exc_info=outcome)
                continue
            results.extend(outcome)
        for result in results:
            if result.outcome not in ("nothing", "busy"):
                log.info(
                    "catch-up in guild %s: %s %s",
                    result.guild_id,
                    result.outcome,
                    result.document_id,
                )
        return results

    async def recover(self) -> list[AnnounceResult]:
        """Resume interrupted announcements and retry failed ones whose time came."""
        results = await self.tracked.run(self.announcer.recover(self.clock()))
        for result in results:
            if result.outcome != "busy":  # busy: an overlapping run already took it
                log.info(
                    "recovery in guild %s: %s %s%s",
                    result.guild_id,
                    result.outcome,
                    result.document_id,
                    f" ({result.error})" if result.error else "",
                )
        return results

    async def drain_alerts(self) -> DrainReport:
        return await self.tracked.run(self._drain())

    async def _drain(self) -> DrainReport:
        report = await self.alerts.drain(self.clock())
        if self.metrics is not None:
            self.metrics.observe_drain(report)
            self.metrics.outbox_depth.set(await self.store.alerts.outbox_depth())
        return report

    async def poll(self, name: str) -> PollReport:
        """Fetch one source, ingest what is new (queueing alerts in the same transactions),
        persist the source's state and health, then send the alerts (if this process
        drains the outbox)."""
        report = await self.tracked.run(self._poll(self.sources[name].source))
        if self.metrics is not None:
            self.metrics.observe_poll(report.source, error=report.error)
        return report

    async def _poll(self, source: Source) -> PollReport:
        read = await read_source(self.store, source, self.clock)
        alerts = await self._drain() if read.new_paper_ids and self.drain_outbox else None
        return PollReport(**{f.name: getattr(read, f.name) for f in fields(read)}, alerts=alerts)


def cron_trigger(schedule: Schedule) -> CronTrigger:
    """A plain APScheduler cron trigger for the same wall-clock time (see ``SlotTrigger``)."""
    return CronTrigger(
        day_of_week=schedule.weekday,  # APScheduler 3: 0 = mon, like Python
        hour=schedule.time.hour,
        minute=schedule.time.minute,
        timezone=schedule.zone,
    )


class SlotTrigger(BaseTrigger):  # type: ignore[misc]  # APScheduler 3 ships no type hints
    """APScheduler 3 trigger whose fire times are ``Schedule.next_slot_after``."""

    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule

    def get_next_fire_time(
        self, previous_fire_time: dt.datetime | None, now: dt.datetime
    ) -> dt.datetime:
        after = previous_fire_time if previous_fire_time is not None else now
        if previous_fire_time is None:
            after = now - dt.timedelta(microseconds=1)  # a slot exactly at `now` fires now
        return self.schedule.next_slot_after(after)

    def __str__(self) -> str:
        return f"slot[{self.schedule.weekday} {self.schedule.time_text} {self.schedule.timezone}]"


class PaperScheduler:
    """One ``AsyncIOScheduler`` for the bot's jobs; ``start`` inside the running loop."""

    def __init__(
        self,
        jobs: Jobs,
        *,
        alert_interval: float = 5.0,
        recovery_interval: float = 5.0,
        periodic: Sequence[Periodic] = (),
    ) -> None:
        self.jobs = jobs
        self.alert_interval = alert_interval
        self.recovery_interval = recovery_interval
        self.periodic = tuple(periodic)
        self.scheduler = AsyncIOScheduler(
            timezone=dt.UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )

    @property
    def running(self) -> bool:
        return bool(self.scheduler.running)

    async def start(self) -> None:
        self.scheduler.start()  # binds to the running loop
        if self.jobs.drain_outbox:  # one process per bot: the global limit is the bot's
            self.scheduler.add_job(
                self.jobs.drain_alerts,
                IntervalTrigger(seconds=self.alert_interval, timezone=dt.UTC),
                id=ALERT_JOB,
                replace_existing=True,
            )
        self.scheduler.add_job(
            self.jobs.recover,
            IntervalTrigger(seconds=self.recovery_interval, timezone=dt.UTC),
            id=RECOVERY_JOB,
            replace_existing=True,
            max_instances=RECOVERY_MAX_INSTANCES,
        )
        for name, job in self.jobs.sources.items():
            self.scheduler.add_job(
                self.jobs.poll,
                IntervalTrigger(seconds=job.interval, timezone=dt.UTC),
                args=[name],
                id=source_job_id(name),
                replace_existing=True,
            )
        for extra in self.periodic:
            self.scheduler.add_job(
                extra.run,
                IntervalTrigger(seconds=extra.interval, timezone=dt.UTC),
                id=extra.job_id,
                replace_existing=True,
            )
        for settings in await self.jobs.store.guilds.configured_guilds():
            try:
                await self.sync_guild(settings.guild_id)
            except Exception:  # one server's settings must never stop the bot for all
                log.exception("no announcement job for guild %s", settings.guild_id)

    async def sync_guild(self, guild_id: int) -> dt.datetime | None:
        """(Re-)create a guild's announcement job from its stored settings; returns the next
        fire time (None when the guild is not configured, or its stored settings cannot be
        used: then only that server's announcements stop, and /status says why)."""
        settings = await self.jobs.store.guilds.get_guild(guild_id)
        job_id = announce_job_id(guild_id)
        if settings is not None and settings.fault is not None:
            log.warning("announcements paused in guild %s: %s", guild_id, settings.fault)
        if settings is None or settings.fault is not None or not self.jobs.shards.owns(guild_id):
            if self.scheduler.get_job(job_id) is not None:
                self.scheduler.remove_job(job_id)
            return None
        job = self.scheduler.add_job(
            self.jobs.announce,
            SlotTrigger(settings.schedule),
            args=[guild_id],
            id=job_id,
            replace_existing=True,
        )
        next_run: dt.datetime | None = getattr(job, "next_run_time", None)
        return next_run

    def job_ids(self) -> list[str]:
        return sorted(job.id for job in self.scheduler.get_jobs())

    async def shutdown(self, grace: float = 10.0) -> None:
        """Stop waking jobs, let runs in flight finish within ``grace`` s, cancel the rest."""
        if self.scheduler.running:
            self.scheduler.pause()  # shutdown() would cancel the runs in flight at once
        pending = [task for task in self.jobs.tracked.tasks if not task.done()]
        if pending:
            log.info("waiting for %d scheduled jobs in flight", len(pending))
            await asyncio.wait(pending, timeout=grace)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        for task in pending:
            task.cancel()
