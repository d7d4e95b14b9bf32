"""Start the bot: open the application, inject it, shut down cleanly on SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator

from bot.app import open_app
from bot.clock import Clock, utcnow
from bot.discord.base_urls import use_discord_endpoints
from bot.discord.client import PaperBot
from bot.metrics import serve_metrics
from bot.settings import Settings

log = logging.getLogger(__name__)


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%Y-%m-%d %H:%M:%S",
    )
    logging.getLogger("discord.gateway").setLevel(max(logging.getLevelName(level), logging.INFO))
    logging.getLogger("discord.client").addFilter(_no_voice_warnings)


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
    """Run until the bot is closed or the process receives SIGTERM/SIGINT."""
    async with open_bot(settings) as bot:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, lambda: asyncio.ensure_future(bot.close()))
        try:
            await bot.start(token)
        finally:
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(signum)
    log.info("stopped cleanly")
