"""What the Discord side counts: commands with their latency, and each shard's gateway.

``watch(bot, metrics)`` adds listeners (no overridden event methods, so ``client.py`` keeps
its own); ``PaperTree.on_error`` calls ``command_failed``. The HTTP endpoint that serves the
registry is ``bot.runtime.metrics.serve_metrics``, started by the runner.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.runtime.metrics import CommandOutcome, Metrics

__all__ = ["command_failed", "command_name", "watch"]


def command_name(interaction: discord.Interaction) -> str:
    command = interaction.command
    if command is not None:
        return command.qualified_name
    return "unknown"


def _seconds(interaction: discord.Interaction) -> float:
    return (discord.utils.utcnow() - interaction.created_at).total_seconds()


def command_failed(
    metrics: Metrics, interaction: discord.Interaction, *, refused: bool = False
) -> None:
    """A command that did not complete: ``refused`` when it told the member what to change
    (their mistake: ``outcome="refused"``), else an error of the bot or Discord."""
    outcome: CommandOutcome = "refused" if refused else "error"
    metrics.observe_command(
        command_name(interaction), outcome=outcome, seconds=_seconds(interaction)
    )


def watch(bot: commands.Bot | commands.AutoShardedBot, metrics: Metrics) -> None:
    """Count completed commands and follow every shard's connection."""

    async def on_app_command_completion(
        interaction: discord.Interaction,
        command: app_commands.Command[Any, ..., Any] | app_commands.ContextMenu,
    ) -> None:
        name = command.qualified_name
        metrics.observe_command(name, outcome="ok", seconds=_seconds(interaction))

    def connected(up: bool) -> object:
        async def listener(shard_id: int) -> None:
            metrics.gateway_connected.labels(str(shard_id)).set(1 if up else 0)

        return listener

    bot.add_listener(on_app_command_completion, "on_app_command_completion")
    for event in ("on_shard_connect", "on_shard_ready", "on_shard_resumed"):
        bot.add_listener(connected(True), event)  # type: ignore[arg-type]
    bot.add_listener(connected(False), "on_shard_disconnect")  # type: ignore[arg-type]
