"""Start the bot: create resources, inject them, shut down cleanly on SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Callable
from datetime import datetime

import httpx

from bot.discord.client import PaperBot
from bot.discord.endpoints import use_discord_endpoints
from bot.ingest import fill_new_store, ingest_paths
from bot.settings import Settings
from bot.store import Store
from bot.store.community import Community, utcnow

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


async def load_local_digests(store: Store, settings: Settings) -> None:
    """Bring the configured local digests into the store (unchanged files cost nothing).

    New papers queue topic alerts, like every later poll: files that arrived while the bot
    was down still reach their followers."""
    totals = await ingest_paths(
        store,
        settings.digests.paths,
        settings.digests.tag_vocabulary,
        on_document=Community(store).alert_hook(),
    )
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
async def open_bot(
    settings: Settings,
    *,
    always_sync: bool = False,
    clock: Callable[[], datetime] = utcnow,
) -> AsyncIterator[PaperBot]:
    """The store opened and filled, an HTTP client for remote digest sources, and a bot built
    on both; all closed again on exit."""
    use_discord_endpoints(settings.discord.rest_url, settings.discord.gateway_url)
    async with (
        await Store.open(settings.store.path) as store,
        httpx.AsyncClient(timeout=30.0, follow_redirects=True) as http,
    ):
        await fill_new_store(store, settings.digests.paths, settings.digests.tag_vocabulary)
        await load_local_digests(store, settings)
        async with PaperBot(
            store=store, settings=settings, always_sync=always_sync, http=http, clock=clock
        ) as bot:
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
