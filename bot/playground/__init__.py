"""The playground: the real bot against the bundled Discord emulator, driven from a terminal.

For newcomers without a Discord token: type `/search 환각`, press buttons, and read the bot's
replies rendered as text. Everything below the terminal is real: discord.py, the cogs, the
store; only Discord itself is the local emulator (`fakediscord`) on loopback.

A sandbox: the bot runs on a temporary store of its own, filled from the configured digests
and the bundled samples (the one place they go without ``[digests] samples = true``), so
nothing typed here (made-up issues, settings, follows) reaches the configured store, which
is never opened.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.discord.runner import open_bot
from bot.playground.session import Session, ShiftedClock, repl
from bot.settings import BUNDLED_DIGESTS, Settings
from fakediscord import Channel, FakeDiscord, Guild, User

__all__ = ["BANNER", "run_playground"]

BANNER = (
    "paperbot playground: the real bot on a local Discord emulator (no token needed).\n"
    "To connect to Discord instead, set DISCORD_TOKEN and run `paperbot run` (or `make run`);"
    " see the README's 'Connecting to Discord'. Quit with `quit`, Ctrl-D or Ctrl-C."
)


def build_world(fake: FakeDiscord) -> tuple[Guild, Channel, User]:
    guild = fake.world.add_guild(
        "paperbot playground", locale="ko", channels=("papers", "announcements")
    )
    you = fake.world.add_user("you")
    guild.add_member(you, admin=True)
    # Your bot: you own the application too (/status shows the owner's global figures).
    fake.world.application = dataclasses.replace(fake.world.application, owner=you)
    return guild, guild.channel("papers"), you


async def run_playground(
    settings: Settings, *, stdin: TextIO = sys.stdin, out: Callable[[str], None] = print
) -> None:
    out(BANNER)
    async with FakeDiscord() as fake:
        guild, channel, you = build_world(fake)
        discord_settings = settings.discord.model_copy(
            update={
                "rest_url": fake.rest_url,
                "gateway_url": fake.gateway_url,
                "dev_guild_id": None,
            }
        )
        clock = ShiftedClock()
        with tempfile.TemporaryDirectory(prefix="paperbot-playground-") as sandbox:
            # A store of its own, filled from the configured digests: made-up issues, settings
            # and follows stay in the sandbox, and the real store is never opened.
            store_settings = settings.store.model_copy(
                update={"path": Path(sandbox) / "playground.db"}
            )
            # The sandbox is where the bundled samples belong: added to what is configured.
            paths = [p for p in settings.digests.paths if p != BUNDLED_DIGESTS]
            digest_settings = settings.digests.model_copy(
                update={"paths": [*paths, BUNDLED_DIGESTS], "samples": True}
            )
            local = settings.model_copy(
                update={
                    "discord": discord_settings,
                    "store": store_settings,
                    "digests": digest_settings,
                }
            )
            await _play(local, fake, guild, channel, you, clock, stdin, out)


async def _play(
    settings: Settings,
    fake: FakeDiscord,
    guild: Guild,
    channel: Channel,
    you: User,
    clock: ShiftedClock,
    stdin: TextIO,
    out: Callable[[str], None],
) -> None:
    async with open_bot(settings, always_sync=True, clock=clock) as bot:
        runner = asyncio.create_task(bot.start(fake.token))
        ready = asyncio.create_task(bot.wait_until_ready())
        await asyncio.wait({runner, ready}, return_when=asyncio.FIRST_COMPLETED)
        if runner.done():
            ready.cancel()
            runner.result()  # raises what stopped the bot
            return
        out(
            f"Connected as {bot.user} to the server '{guild.name}', channel #{channel.name}."
            f" Type `help` for examples."
        )
        session = Session(
            fake=fake, guild=guild, channel=channel, user=you, out=out, bot=bot, clock=clock
        )
        try:
            await repl(session, stdin)
        finally:
            await bot.close()
            await runner
