"""/trends [weeks]: a chart of the most discussed tags per week, with the rising tags.

Thin: parse the interaction, ask ``bot.services.trends.Trends`` for the chart (drawn off the
event loop, cached), reply with its PNG and its two lines of text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.discord.replies import answer
from bot.discord.translator import interaction_lang
from bot.render.message import Message
from bot.services.trends import DEFAULT_WEEKS, MAX_WEEKS, MIN_WEEKS

if TYPE_CHECKING:
    from bot.discord.client import PaperBot


class TrendsCog(commands.Cog):
    def __init__(self, bot: PaperBot) -> None:
        self.bot = bot
        self.trends = bot.app.trends

    @app_commands.command(
        name=_("trends"), description=_("A chart of the most discussed tags per week")
    )
    @app_commands.describe(weeks=_("How many weeks to show (4–52, default 12)"))
    @app_commands.rename(weeks=_("weeks"))
    async def trends_command(
        self,
        interaction: discord.Interaction,
        weeks: app_commands.Range[int, MIN_WEEKS, MAX_WEEKS] = DEFAULT_WEEKS,
    ) -> None:
        lang = interaction_lang(interaction)

        async def work() -> Message:
            chart = await self.trends.chart(weeks, lang)
            return Message(content=chart.summary, attachments=(chart.attachment,))

        await answer(interaction, work())


async def setup(bot: PaperBot) -> None:
    await bot.add_cog(TrendsCog(bot))
