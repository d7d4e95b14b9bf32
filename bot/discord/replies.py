"""Answering interactions on time.

Discord rejects a first response that comes later than 3 seconds after the interaction. A fast
answer is sent directly (one request, no "thinking…" flicker); if the work is still running
after `DEFER_AFTER` seconds, the interaction is deferred and the answer follows as an edit.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass

import discord

from bot.discord.components import static_view
from bot.render.message import Attachment, Message

__all__ = ["DEFER_AFTER", "Reply", "answer", "discord_files"]

DEFER_AFTER = 1.5


@dataclass
class Reply:
    """A message with buttons or menus (a discord.py view) under it."""

    message: Message
    view: discord.ui.View


async def answer(
    interaction: discord.Interaction,
    work: Awaitable[Message | Reply],
    *,
    ephemeral: bool = False,
    defer_after: float = DEFER_AFTER,
) -> Message:
    """Run `work` and send what it returns, deferring first if it is slow.

    Exceptions from `work` propagate (to the tree's error handler), which then answers with a
    followup if we already deferred.
    """
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=defer_after)
    if not done:
        await interaction.response.defer(thinking=True, ephemeral=ephemeral)
    result = await task
    message, view = (result.message, result.view) if isinstance(result, Reply) else (result, None)
    if view is None and message.components:
        view = static_view(message.components)
    embeds = [discord.Embed.from_dict(embed) for embed in message.embeds]
    files = discord_files(message.attachments) or discord.utils.MISSING
    if interaction.response.is_done():
        await interaction.edit_original_response(
            content=message.content,
            embeds=embeds,
            view=view or discord.utils.MISSING,
            attachments=files,
        )
    else:
        await interaction.response.send_message(
            content=message.content,
            embeds=embeds,
            view=view or discord.utils.MISSING,
            ephemeral=ephemeral,
            files=files,
        )
    return message


def discord_files(attachments: Sequence[Attachment]) -> list[discord.File]:
    """Fresh ``discord.File`` objects (each can be sent once) for a message's attachments."""
    return [
        discord.File(io.BytesIO(one.data), filename=one.filename, description=one.description)
        for one in attachments
    ]
