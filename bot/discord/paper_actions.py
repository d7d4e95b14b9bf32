"""The Related and Save buttons (and menus) under papers, wherever they were posted.

Their custom ids carry everything needed (``paper:related:<id>``, ``paper:save:<id>``; the
menus ``papers:related`` and ``papers:save`` carry paper ids as values), and discord.py's
``DynamicItem`` matches them on every component interaction: they work for whoever presses
them, in a channel, a thread or a DM, on messages posted before the last restart, with no
view kept in memory. Answers are ephemeral: a reading list is private.

Messages carry them through ``bot.discord.components.static_view``: plain components from
the render layer's dicts, never stored as a view (the dynamic items handle every press).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.discord.replies import answer
from bot.discord.translator import interaction_lang
from bot.discord.tree import send_ephemeral, user_message
from bot.render.message import Message

if TYPE_CHECKING:
    from bot.discord.client import PaperBot
    from bot.services.discovery import Discovery

__all__ = [
    "DYNAMIC_ITEMS",
    "RelatedButton",
    "RelatedMenu",
    "SaveButton",
    "SaveMenu",
]

log = logging.getLogger(__name__)


def _discovery(interaction: discord.Interaction) -> Discovery:
    return cast("PaperBot", interaction.client).app.discovery


async def _respond(
    interaction: discord.Interaction, work: Callable[[Discovery], Awaitable[Message]]
) -> None:
    """Answer ephemerally; errors become the same messages commands give (dynamic items'
    exceptions would otherwise only be logged by discord.py)."""
    try:
        await answer(interaction, work(_discovery(interaction)), ephemeral=True)
    except Exception as error:
        await send_ephemeral(interaction, user_message(error, str(interaction.locale)))


async def _related(interaction: discord.Interaction, paper_id: int) -> None:
    lang = interaction_lang(interaction)

    async def work(discovery: Discovery) -> Message:
        return await discovery.related_by_id(paper_id, lang)

    await _respond(interaction, work)


async def _save(interaction: discord.Interaction, paper_id: int) -> None:
    lang = interaction_lang(interaction)

    async def work(discovery: Discovery) -> Message:
        return Message(content=await discovery.save(interaction.user.id, paper_id, lang))

    await _respond(interaction, work)


class RelatedButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"paper:related:(?P<id>[0-9]{1,19})"
):
    def __init__(self, paper_id: int) -> None:
        super().__init__(discord.ui.Button(custom_id=f"paper:related:{paper_id}"))
        self.paper_id = paper_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RelatedButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await _related(interaction, self.paper_id)


class SaveButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"paper:save:(?P<id>[0-9]{1,19})"
):
    def __init__(self, paper_id: int) -> None:
        super().__init__(discord.ui.Button(custom_id=f"paper:save:{paper_id}"))
        self.paper_id = paper_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> SaveButton:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await _save(interaction, self.paper_id)


def _chosen(interaction: discord.Interaction) -> int | None:
    data = cast("dict[str, Any]", interaction.data or {})
    values = data.get("values") or []
    return int(values[0]) if values and str(values[0]).isdigit() else None


class RelatedMenu(discord.ui.DynamicItem[discord.ui.Select[Any]], template=r"papers:related"):
    def __init__(self) -> None:
        super().__init__(discord.ui.Select(custom_id="papers:related"))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RelatedMenu:
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        paper_id = _chosen(interaction)
        if paper_id is not None:
            await _related(interaction, paper_id)


class SaveMenu(discord.ui.DynamicItem[discord.ui.Select[Any]], template=r"papers:save"):
    def __init__(self) -> None:
        super().__init__(discord.ui.Select(custom_id="papers:save"))

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> SaveMenu:
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        paper_id = _chosen(interaction)
        if paper_id is not None:
            await _save(interaction, paper_id)


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    RelatedButton,
    SaveButton,
    RelatedMenu,
    SaveMenu,
)
