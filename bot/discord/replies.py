"""Answering interactions on time.

Discord rejects a first response that comes later than 3 seconds after the interaction. A fast
answer is sent directly (one request, no "thinking…" flicker); if the work is still running
after `DEFER_AFTER` seconds, the interaction is deferred and the answer follows as an edit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

import discord

DEFER_AFTER = 1.5


@dataclass
class Reply:
    embeds: list[dict[str, Any]] = field(default_factory=list)
    content: str | None = None
    view: discord.ui.View | None = None

    def discord_embeds(self) -> list[discord.Embed]:
        return [discord.Embed.from_dict(e) for e in self.embeds]


async def answer(
    interaction: discord.Interaction,
    work: Awaitable[Reply],
    *,
    ephemeral: bool = False,
    defer_after: float = DEFER_AFTER,
) -> Reply:
    """Run `work` and send its Reply, deferring first if it is slow.

    Exceptions from `work` propagate (to the tree's error handler), which then answers with a
    followup if we already deferred.
    """
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=defer_after)
    if not done:
        await interaction.response.defer(thinking=True, ephemeral=ephemeral)
    reply = await task
    embeds = reply.discord_embeds()
    view = reply.view or discord.utils.MISSING
    if interaction.response.is_done():
        await interaction.edit_original_response(content=reply.content, embeds=embeds, view=view)
    else:
        await interaction.response.send_message(
            content=reply.content, embeds=embeds, view=view, ephemeral=ephemeral
        )
    return reply
