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
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from functools import cached_property

import httpx

from bot.clock import Clock, utcnow
from bot.delivery import AlertWorker, Announcer, Courier, RateLimiter
from bot.digests.tags import TagVocabulary, load_vocabulary
from bot.ingest import ingest_paths
from bot.jobs import Jobs, PaperScheduler, build_sources
from bot.services.discovery import Discovery
from bot.services.lookup import Lookup
from bot.services.server_admin import ServerAdmin
from bot.services.subscriptions import Subscriptions
from bot.settings import Settings
from bot.store import Store

__all__ = ["App", "Delivery", "load_local_digests", "open_app"]

log = logging.getLogger(__name__)

HTTP_TIMEOUT = 30.0  # seconds, for remote digest sources


@dataclass
class Delivery:
    """What needs a way to talk to Discord: the workers, their jobs, the admin service."""

    announcer: Announcer
    alert_worker: AlertWorker
    jobs: Jobs
    scheduler: PaperScheduler
    server_admin: ServerAdmin


@dataclass
class App:
    """Resources (created and closed by the caller) and the services built on them."""

    settings: Settings
    store: Store
    http: httpx.AsyncClient | None = None  # remote digest sources; None: local ones only
    lookup: Lookup = field(init=False)
    subscriptions: Subscriptions = field(init=False)
    discovery: Discovery = field(init=False)

    def __post_init__(self) -> None:
        self.lookup = Lookup(self.store, self.vocabulary)
        self.subscriptions = Subscriptions(self.store, self.lookup)
        self.discovery = Discovery(self.store, self.lookup)

    @property
    def clock(self) -> Clock:
        """The one clock: the store's, so what it stamps and what the workers compare agree."""
        return self.store.clock

    @cached_property
    def vocabulary(self) -> TagVocabulary:
        return load_vocabulary(self.settings.digests.tag_vocabulary)

    def delivery(self, courier: Courier) -> Delivery:
        """Announcer, alert DMs, scheduled jobs and the admin service, sending via ``courier``."""
        settings, clock = self.settings, self.clock
        announcer = Announcer(self.store, courier, clock=clock)
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
        )
        scheduler = PaperScheduler(jobs, alert_interval=settings.scheduler.alert_interval)
        server_admin = ServerAdmin(
            self.store, announcer, on_change=scheduler.sync_guild, clock=clock
        )
        return Delivery(announcer, alert_worker, jobs, scheduler, server_admin)


async def load_local_digests(store: Store, settings: Settings) -> None:
    """Bring the configured local digests into the store (unchanged files cost nothing).

    New papers queue topic alerts (the store does that on every ingest): files that arrived
    while the bot was down still reach their followers."""
    totals = await ingest_paths(store, settings.digests.paths, settings.digests.tag_vocabulary)
    for error in totals.errors:
        log.warning("digest not loaded: %s:%d: %s", error.source, error.line, error.message)
    log.info(
        "digests: %d new, %d updated, %d unchanged, %d failed",
        totals.new,
        totals.updated,
        totals.unchanged,
        totals.failed,
    )


@contextlib.asynccontextmanager
async def open_app(settings: Settings, *, clock: Clock = utcnow) -> AsyncIterator[App]:
    """The store opened and filled from the local digests, an HTTP client for remote sources,
    and the services on both; all closed again on exit."""
    async with (
        await Store.open(settings.store.path, clock=clock) as store,
        httpx.AsyncClient(timeout=HTTP_TIMEOUT, follow_redirects=True) as http,
    ):
        await load_local_digests(store, settings)
        yield App(settings, store, http)
