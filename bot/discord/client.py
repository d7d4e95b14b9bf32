"""PaperBot: the discord.py client with its store injected, cogs loaded one by one.

Following discord.py's `advanced_startup` example: the application (`bot.app.App`: store,
services) is created by the caller (`bot.discord.runner`) with `async with`, injected here, and
closed by the caller. Commands are synced
only when the command set changed (its hash is kept in the store) or when an owner asks.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Sequence
from typing import Any

import discord
from discord.ext import commands

from bot.app import App
from bot.clock import utcnow
from bot.discord.observability import watch
from bot.discord.rest_courier import DiscordCourier
from bot.discord.shards import resume_on_reconnect
from bot.discord.translator import PaperTranslator
from bot.discord.tree import PaperTree, send_ephemeral
from bot.i18n import lang_of, t
from bot.runtime.health import HEARTBEAT_EVERY, HEARTBEAT_KEY

log = logging.getLogger(__name__)

EXTENSIONS: tuple[str, ...] = (
    "cogs.lookup",
    "cogs.admin",
    "cogs.server_settings",
    "cogs.announcements",
    "cogs.alerts",
    "cogs.trends",
    "cogs.library",
)
COMMAND_HASH_KEY = "discord.command_hash"
SHUTDOWN_GRACE = 10.0  # seconds in-flight commands get to finish on shutdown
# A 429 asking for a longer wait raises instead (discord.py's minimum): the courier turns it
# into Transient, and the delivery goes back to its stored backoff instead of holding a lease.
MAX_RATELIMIT_WAIT = 30.0
# discord.py names the tasks that run commands and component callbacks like these.
_WORK_TASK_PREFIXES = ("CommandTree-invoker", "discord-ui-view-dispatch-")


class PaperBot(commands.AutoShardedBot):
    tree: PaperTree  # narrowed from CommandTree[Self]

    def __init__(
        self,
        app: App,
        *,
        extensions: Sequence[str] = EXTENSIONS,
        guild_ready_timeout: float = 2.0,
        always_sync: bool = False,
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True  # channels and roles for announcements; no privileged intents
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            tree_cls=PaperTree,
            help_command=None,
            # Digest text must never ping anyone; announcements opt in to their one role.
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=guild_ready_timeout,
            shard_count=app.settings.discord.shard_count,  # None: as Discord recommends
            shard_ids=app.settings.discord.shard_ids,  # type: ignore[arg-type]  # None: all
            max_ratelimit_timeout=MAX_RATELIMIT_WAIT,
        )
        self.app = app
        self.store = app.store
        self.settings = app.settings
        self.clock = app.clock
        self.initial_extensions = tuple(extensions)
        self.failed_extensions: dict[str, str] = {}
        self.always_sync = always_sync  # e.g. a fresh emulator, which knows no commands yet
        self._heartbeat: asyncio.Task[None] | None = None
        self.gateway_connected = False  # the health check must fail while this is False
        # The courier needs this logged-in client; everything behind it is wired by the app.
        self.courier = DiscordCourier(self, limiter=app.request_limiter, pacer=app.channel_pacer())
        watch(self, app.metrics)
        self.delivery = app.delivery(self.courier)
        self.announcer = self.delivery.announcer
        self.jobs = self.delivery.jobs
        self.scheduler = self.delivery.scheduler
        self.catch_up_task: asyncio.Task[Any] | None = None
        self.metrics_port: int | None = None  # set by the runner when [metrics] is enabled

    def healthy(self) -> bool:
        """For /healthz: ready, and every shard's gateway connection is up."""
        return self.is_ready() and self.gateway_connected and not self.is_closed()

    async def launch_shard(self, gateway: Any, shard_id: int, *, initial: bool = False) -> None:
        await super().launch_shard(gateway, shard_id, initial=initial)
        resume_on_reconnect(self, shard_id)

    async def setup_hook(self) -> None:
        await self.tree.set_translator(PaperTranslator())
        if self.settings.scheduler.enabled:
            await self.scheduler.start()  # inside the running loop, as APScheduler 3 needs
        for name in self.initial_extensions:
            try:
                await self.load_extension(name)
            except Exception as error:  # one broken cog must not stop the others
                self.failed_extensions[name] = repr(error)
                log.exception("could not load extension %s; the bot runs without it", name)
        await self.sync_commands(force=self.always_sync)
        self._heartbeat = asyncio.create_task(self._beat(), name="paperbot-heartbeat")

    @property
    def command_guild(self) -> discord.Object | None:
        guild_id = self.settings.discord.dev_guild_id
        return discord.Object(id=guild_id) if guild_id else None

    @property
    def owner_guild(self) -> discord.Object | None:
        """The owner's server, where (only) the owner's commands are registered."""
        guild_id = self.settings.discord.owner_guild_id
        return discord.Object(id=guild_id) if guild_id else None

    async def _payloads(self, guild: discord.Object | None) -> list[dict[str, Any]]:
        translator = self.tree.translator
        payload = []
        for command in self.tree.get_commands(guild=guild):
            if translator is not None:
                payload.append(await command.get_translated_payload(self.tree, translator))
            else:
                payload.append(command.to_dict(self.tree))
        return payload

    async def command_hash(self) -> str:
        """A hash of exactly what a sync would send, translations included."""
        guild, owner = self.command_guild, self.owner_guild
        blob = json.dumps(
            {
                "guild": guild.id if guild else None,
                "commands": await self._payloads(None),  # declared globally; copied to a dev guild
                "owner_guild": owner.id if owner else None,
                "owner_commands": await self._payloads(owner) if owner else [],
            },
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(blob.encode()).hexdigest()

    async def sync_commands(self, *, force: bool = False) -> bool:
        """Sync when the command set changed since the last sync (or when forced).

        Returns whether a sync happened. With `dev_guild_id`, commands are copied to that guild
        (instant) instead of being registered globally.
        """
        digest = await self.command_hash()
        # Commands belong to an application: a different application id means a new sync.
        key = f"{COMMAND_HASH_KEY}:{self.application_id}"
        if not force and await self.store.get_meta(key) == digest:
            log.info("slash commands unchanged; not syncing")
            return False
        guild = self.command_guild
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        synced = await self.tree.sync(guild=guild)
        owner = self.owner_guild
        if owner is not None and (guild is None or guild.id != owner.id):
            owner_commands = await self.tree.sync(guild=owner)
            log.info("synced %d owner commands to guild %s", len(owner_commands), owner.id)
        await self.store.set_meta(key, digest)
        log.info(
            "synced %d slash commands%s",
            len(synced),
            f" to guild {guild.id}" if guild else " globally",
        )
        return True

    async def close(self) -> None:
        """Let commands already running finish (within a grace period), then disconnect."""
        current = asyncio.current_task()
        inflight = [
            task
            for task in asyncio.all_tasks()
            if task is not current
            and not task.done()
            and task.get_name().startswith(_WORK_TASK_PREFIXES)
        ]
        if inflight:
            log.info("waiting for %d commands in flight before closing", len(inflight))
            await asyncio.wait(inflight, timeout=SHUTDOWN_GRACE)
        await self.scheduler.shutdown(SHUTDOWN_GRACE)
        if self._heartbeat is not None:
            self._heartbeat.cancel()
        await super().close()

    async def _beat(self) -> None:
        """Record that the bot is connected, for health checks from outside the process."""
        await self.wait_until_ready()
        while not self.is_closed():
            if self.gateway_connected:
                await self._record_heartbeat()
            await asyncio.sleep(HEARTBEAT_EVERY)

    async def _record_heartbeat(self) -> None:
        try:
            await self.store.set_meta(HEARTBEAT_KEY, utcnow().isoformat())
        except Exception:  # e.g. "database is locked": skip one beat, never stop beating
            log.warning("could not record the heartbeat; trying again later", exc_info=True)

    async def on_connect(self) -> None:
        self.gateway_connected = True

    async def on_resumed(self) -> None:
        self.gateway_connected = True
        await self._record_heartbeat()

    async def on_disconnect(self) -> None:
        self.gateway_connected = False

    async def on_ready(self) -> None:
        self.gateway_connected = True
        await self._record_heartbeat()
        user = self.user
        log.info("ready as %s (%s) in %d servers", user, user.id if user else "?", len(self.guilds))
        if self.catch_up_task is None and self.settings.scheduler.enabled:
            # The database decides what should have been posted while we were away.
            self.catch_up_task = asyncio.create_task(self.jobs.catch_up(), name="paperbot-catch-up")

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Removed from a server (kicked, banned, or the server deleted): forget it."""
        await self.delivery.lifecycle.forget_guild(guild.id)

    async def on_app_command_completion(
        self, interaction: discord.Interaction, command: object
    ) -> None:
        """Tell a user whose DMs were closed, once, the next time they use any command."""
        if not await self.store.alerts.take_user_notice(interaction.user.id):
            return
        lang = lang_of(str(interaction.locale))
        await send_ephemeral(interaction, t("alert.unreachable_notice", lang))
