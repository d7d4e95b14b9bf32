"""Start the bot: open the application, inject it, shut down cleanly on SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import signal
from collections.abc import AsyncIterator

import discord

from bot.app import open_app
from bot.clock import Clock, utcnow
from bot.discord.base_urls import use_discord_endpoints
from bot.discord.client import PaperBot
from bot.runtime.metrics import serve_metrics
from bot.runtime.operator_errors import TokenRejectedError
from bot.settings import Settings

log = logging.getLogger(__name__)

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class IsoFormatter(logging.Formatter):
    """Timestamps in ISO 8601 with the UTC offset: 2026-03-02T09:00:00.123+09:00."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        when = dt.datetime.fromtimestamp(record.created).astimezone()
        return when.isoformat(timespec="milliseconds")


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(IsoFormatter(LOG_FORMAT))
    logging.basicConfig(level=level, handlers=[handler])
    logging.getLogger("discord.gateway").setLevel(max(logging.getLevelName(level), logging.INFO))
    logging.getLogger("discord.client").addFilter(_no_voice_warnings)
    # APScheduler logs two INFO lines for every job run ("Running job", "executed
    # successfully"): some 34,000 a day with the outbox drained every 5 s.
    logging.getLogger("apscheduler").setLevel(
        logging.DEBUG if level == "DEBUG" else logging.WARNING
    )


def _no_voice_warnings(record: logging.LogRecord) -> bool:
    # discord.py warns at start-up that voice libraries are missing; paperbot has no voice.
    return "voice will NOT be supported" not in record.getMessage()


@contextlib.asynccontextmanager
async def open_bot(
    settings: Settings, *, always_sync: bool = False, clock: Clock = utcnow
) -> AsyncIterator[PaperBot]:
    """The application opened (store filled, HTTP client) and a bot built on it; all closed
    again on exit."""
    use_discord_endpoints(settings.discord.rest_url, settings.discord.gateway_url)
    async with (
        open_app(settings, clock=clock) as app,
        PaperBot(app, always_sync=always_sync) as bot,
        contextlib.AsyncExitStack() as stack,
    ):
        config = settings.metrics
        if config.enabled:
            bot.metrics_port = await stack.enter_async_context(
                serve_metrics(app.metrics, config.host, config.port, bot.healthy)
            )
            log.info("metrics on http://%s:%d/metrics", config.host, bot.metrics_port)
        yield bot


async def run_bot(settings: Settings, token: str) -> None:
    """Run until the bot is closed or the process receives SIGTERM/SIGINT.

    The signal handlers are in place before the application opens, so a stop is honoured at
    any moment: during the first ingest (cancelled: each document is stored atomically, the
    rest waits for the next start) as well as while connected (the bot closes)."""
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()
    assert main is not None
    running: list[PaperBot] = []
    closing: list[asyncio.Future[None]] = []
    stopping = False

    def stop() -> None:
        nonlocal stopping
        stopping = True
        if running:
            closing.append(asyncio.ensure_future(running[0].close()))
        else:
            main.cancel()

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop)
    try:
        async with open_bot(settings) as bot:
            running.append(bot)
            if not stopping:
                await bot.start(token)
    except asyncio.CancelledError:
        if not stopping:
            raise
        main.uncancel()
        log.info("stopped during start-up")
    except discord.LoginFailure:
        raise TokenRejectedError(_token_source(settings)) from None
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
    log.info("stopped cleanly")


def _token_source(settings: Settings) -> str:
    if settings.discord_token is not None and settings.discord_token.get_secret_value().strip():
        return "DISCORD_TOKEN"
    return f"the file {settings.discord_token_file} (DISCORD_TOKEN_FILE)"
