"""Prometheus metrics: one ``CollectorRegistry`` per application, no import-time globals.

``App`` creates a ``Metrics`` (so two bots in one test process count separately); the core
(jobs, delivery reports) and the Discord side increment it; ``serve_metrics`` (started by
``bot.discord.runner``) serves ``registry`` at ``/metrics`` when ``[metrics] enabled``.
Discord-free.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Callable, Iterable
from typing import TYPE_CHECKING, Literal

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

if TYPE_CHECKING:
    from bot.delivery import AnnounceResult, DrainReport

__all__ = ["CONTENT_TYPE_LATEST", "CommandOutcome", "Metrics", "serve_metrics"]

#: ``refused``: the command answered with a refusal the member can act on (a typo, an
#: unknown tag, a cooldown, missing permissions): their mistake, not a failure of the bot.
CommandOutcome = Literal["ok", "refused", "error"]

# Slash command latency: Discord wants a first answer within 3 s.
LATENCY_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0)
DM_OUTCOMES = ("sent", "failed", "unreachable", "retried", "recovered")


class Metrics:
    """The bot's counters and gauges on a registry of their own."""

    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry()
        self.commands = Counter(
            "paperbot_commands",
            "Application commands handled, by command and outcome (ok; refused: the member's"
            " mistake or a check that said no; error: the bot's or Discord's fault)",
            ["command", "outcome"],
            registry=registry,
        )
        self.command_seconds = Histogram(
            "paperbot_command_seconds",
            "Seconds from the interaction's creation to the command's completion",
            ["command"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.announcements = Counter(
            "paperbot_announcements",
            "Announcements of an issue in a guild, by outcome (posted, failed, retry, busy, lost)",
            ["outcome"],
            registry=registry,
        )
        self.dms = Counter(
            "paperbot_alert_dms",
            "Alert DMs, by outcome (sent, failed, unreachable, retried, recovered)",
            ["outcome"],
            registry=registry,
        )
        self.outbox_depth = Gauge(
            "paperbot_alert_outbox_depth",
            "Alert DMs waiting in the outbox (pending or claimed), after the last drain",
            registry=registry,
        )
        self.source_fetches = Counter(
            "paperbot_source_fetches",
            "Digest source polls",
            ["source"],
            registry=registry,
        )
        self.source_errors = Counter(
            "paperbot_source_errors",
            "Digest source polls that failed or reported fetch errors",
            ["source"],
            registry=registry,
        )
        self.gateway_connected = Gauge(
            "paperbot_gateway_connected",
            "1 while the shard's gateway connection is up, else 0",
            ["shard"],
            registry=registry,
        )

    # -- what the core reports ------------------------------------------------------------

    def observe_announcements(self, results: Iterable[AnnounceResult]) -> None:
        for result in results:
            if result.outcome == "nothing" or result.outcome == "already":
                continue
            outcome = "posted" if result.outcome == "sent" else result.outcome
            self.announcements.labels(outcome).inc()

    def observe_drain(self, report: DrainReport) -> None:
        for outcome in DM_OUTCOMES:
            count = getattr(report, outcome)
            if count:
                self.dms.labels(outcome).inc(count)

    def observe_poll(self, source: str, *, error: str | None) -> None:
        self.source_fetches.labels(source).inc()
        if error is not None:
            self.source_errors.labels(source).inc()

    def observe_command(
        self, command: str, *, outcome: CommandOutcome, seconds: float | None
    ) -> None:
        self.commands.labels(command, outcome).inc()
        if seconds is not None:
            self.command_seconds.labels(command).observe(max(seconds, 0.0))

    def exposition(self) -> bytes:
        """The registry in Prometheus's text format."""
        return generate_latest(self.registry)


@contextlib.asynccontextmanager
async def serve_metrics(
    metrics: Metrics, host: str, port: int, healthy: Callable[[], bool]
) -> AsyncIterator[int]:
    """``GET /metrics`` (Prometheus text) and ``GET /healthz`` (200 while ``healthy()``, else
    503) on ``host:port`` until exit; yields the port (useful with port 0)."""

    async def scrape(_request: web.Request) -> web.Response:
        response = web.Response(body=metrics.exposition())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    async def health(_request: web.Request) -> web.Response:
        ok = healthy()
        return web.Response(
            status=200 if ok else 503,
            body=json.dumps({"ok": ok}),
            content_type="application/json",
        )

    app = web.Application()
    app.router.add_get("/metrics", scrape)
    app.router.add_get("/healthz", health)
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    try:
        server = site._server  # the bound port, when 0 asked for any free one
        sockets = getattr(server, "sockets", None) or []
        yield int(sockets[0].getsockname()[1]) if sockets else port
    finally:
        await runner.cleanup()
