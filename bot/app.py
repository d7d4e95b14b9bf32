"""The one place that builds the application: store, services, jobs and delivery.

The bot, the CLI, the playground and the benchmarks all get their parts from here, so a rule
wired in here (or in the store itself, like queueing alerts on every ingest) holds for every
entry point. Discord-free: the Discord side hands in a ``Courier`` and gets the delivery
workers back (``App.delivery``), the way discord.py's ``advanced_startup`` example injects
resources the caller created and closes.

    async with open_app(settings) as app:           # store opened and filled, HTTP client
        bot = PaperBot(app)                          # builds its courier, calls app.delivery
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import httpx

from bot.clock import Clock, utcnow
from bot.delivery import AlertWorker, Announcer, Backoff, Courier, RateLimiter
from bot.delivery.ratelimit import ChannelPacer
from bot.digests.glossary import load_glossary
from bot.digests.tags import TagVocabulary, load_vocabulary
from bot.ingest.files import FIRST_FILL, IngestTotals, fill_new_store, load_local_digests
from bot.ingest.poll import build_sources
from bot.runtime.jobs import Jobs, PaperScheduler, Periodic
from bot.runtime.metrics import Metrics
from bot.runtime.sharding import Shards
from bot.services.data_lifecycle import DataLifecycle
from bot.services.discovery import Discovery
from bot.services.lookup import Lookup
from bot.services.server_admin import ServerAdmin
from bot.services.subscriptions import Subscriptions
from bot.services.trends import Trends
from bot.settings import Settings, require_digest_paths
from bot.store import Store

__all__ = ["App", "Delivery", "open_app", "open_store"]

log = logging.getLogger(__name__)

HTTP_TIMEOUT = 30.0  # seconds, for remote digest sources
PURGE_JOB = "retention:purge"
PURGE_EVERY = 24 * 3600.0  # seconds: old records are purged daily


@dataclass
class Delivery:
    """What needs a way to talk to Discord: the workers, their jobs, the admin service."""

    announcer: Announcer
    alert_worker: AlertWorker
    jobs: Jobs
    scheduler: PaperScheduler
    server_admin: ServerAdmin
    lifecycle: DataLifecycle


@dataclass
class App:
    """Resources (created and closed by the caller) and the services built on them."""

    settings: Settings
    store: Store
    http: httpx.AsyncClient | None = None  # remote digest sources; None: local ones only
    lookup: Lookup = field(init=False)
    subscriptions: Subscriptions = field(init=False)
    trends: Trends = field(init=False)
    metrics: Metrics = field(init=False)  # a registry per app: several bots in one process
    discovery: Discovery = field(init=False)

    def __post_init__(self) -> None:
        self.lookup = Lookup(self.store)
        self.subscriptions = Subscriptions(self.store, self.lookup)
        self.discovery = Discovery(self.store, self.lookup)
        self.trends = Trends(self.store, clock=self.clock)
        self.metrics = Metrics()

    @property
    def shards(self) -> Shards:
        """The shards this process runs, hence the guilds it announces in."""
        discord = self.settings.discord
        return Shards.of(discord.shard_count, discord.shard_ids)

    @cached_property
    def request_limiter(self) -> RateLimiter:
        """This process's share of Discord's global limit, for every delivery request. A
        burst of 2: a full second's worth at once would overrun Discord's fixed one-second
        window together with the next second's tokens."""
        return RateLimiter(self.settings.discord.requests_per_second, burst=2)

    @property
    def clock(self) -> Clock:
        """The one clock: the store's, so what it stamps and what the workers compare agree."""
        return self.store.clock

    @cached_property
    def vocabulary(self) -> TagVocabulary:
        return load_vocabulary(self.settings.digests.tag_vocabulary)

    def channel_pacer(self) -> ChannelPacer | None:
        """Discord's per-channel limit kept before a request spends the global budget."""
        return ChannelPacer() if self.settings.discord.pace_channels else None

    def delivery(self, courier: Courier) -> Delivery:
        """Announcer, alert DMs, scheduled jobs and the admin service, sending via ``courier``."""
        settings, clock = self.settings, self.clock
        timing = settings.scheduler
        announcer = Announcer(
            self.store,
            courier,
            clock=clock,
            lease=dt.timedelta(seconds=timing.lease),
            renew_every=dt.timedelta(seconds=timing.lease_renew_every),
            recovery_every=dt.timedelta(seconds=timing.recovery_interval),
            backoff=Backoff(
                dt.timedelta(seconds=timing.retry_base), dt.timedelta(seconds=timing.retry_cap)
            ),
            overview_files=self.trends.announcement_attachments,
        )
        alert_worker = AlertWorker(
            self.store,
            courier,
            clock=clock,
            # A small burst: a full second's worth at once would overrun Discord's
            # fixed one-second window together with the next second's tokens.
            limiter=RateLimiter(settings.scheduler.dm_per_second, burst=2),
        )
        jobs = Jobs(
            store=self.store,
            announcer=announcer,
            alerts=alert_worker,
            sources=build_sources(settings, self.vocabulary, self.http, clock=clock),
            clock=clock,
            shards=self.shards,
            drain_outbox=settings.scheduler.drain_outbox,
            metrics=self.metrics,
        )
        lifecycle = DataLifecycle(
            self.store,
            retention=dt.timedelta(days=settings.store.retention_days),
            clock=clock,
        )
        scheduler = PaperScheduler(
            jobs,
            alert_interval=timing.alert_interval,
            recovery_interval=timing.recovery_interval,
            periodic=[Periodic(PURGE_JOB, lifecycle.purge, PURGE_EVERY)],
        )
        lifecycle.on_guild_forgotten = scheduler.sync_guild  # no settings: the job goes
        server_admin = ServerAdmin(
            self.store, announcer, on_change=scheduler.sync_guild, clock=clock
        )
        return Delivery(announcer, alert_worker, jobs, scheduler, server_admin, lifecycle)


async def open_store(
    settings: Settings,
    *,
    path: Path | None = None,
    clock: Clock = utcnow,
    read_only: bool = False,
) -> tuple[Store, IngestTotals | None]:
    """The store as every entry point opens it: the configured vocabulary and glossary, and a
    new store (or one whose first fill was cut short) filled completely from the configured
    digests first, whichever command touches it first. Returns the first fill's totals, if
    one ran.

    Only the configured digests fill it: the bundled samples only with ``[digests] samples
    = true`` (the playground sets it for its sandbox). A configured digest path that does not
    exist is a configuration fault (``DigestPathsMissingError``), found before a new store
    is created."""
    path = path or settings.store.path
    if not read_only and not path.exists():
        require_digest_paths(settings)
    store = await Store.open(
        path,
        clock=clock,
        read_only=read_only,
        vocabulary=load_vocabulary(settings.digests.tag_vocabulary),
        glossary=load_glossary(settings.digests.glossary),
    )
    if read_only:
        return store, None
    try:
        if await store.get_meta(FIRST_FILL) == "pending":  # a fill cut short: it resumes
            require_digest_paths(settings)
        filled = await fill_new_store(
            store, settings.digests.paths, settings.digests.tag_vocabulary
        )
    except BaseException:
        await store.close()
        raise
    return store, filled


@contextlib.asynccontextmanager
async def open_app(settings: Settings, *, clock: Clock = utcnow) -> AsyncIterator[App]:
    """The store opened and filled from the local digests, an HTTP client for remote sources,
    and the services on both; all closed again on exit."""
    require_digest_paths(settings)  # the bot reads them at every start and every re-scan
    if not settings.digests.paths:
        log.info(
            "no digests configured: the store gets only what remote sources bring; set "
            "[digests] paths (or samples = true to try the bundled sample digests)"
        )
    store, _ = await open_store(settings, clock=clock)
    async with (
        store,
        # Redirects are followed by the sources' fetcher, and only on the host asked.
        httpx.AsyncClient(timeout=HTTP_TIMEOUT, follow_redirects=False) as http,
    ):
        await load_local_digests(store, settings)
        yield App(settings, store, http)
