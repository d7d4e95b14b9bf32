"""/announce preview|now and /status (Manage Server only, ephemeral).

Thin: ``bot.services.server_admin.ServerAdmin`` does the work and the rendering.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.discord.checks import admin_guild_id
from bot.discord.installs import server_admin_command, server_admin_group
from bot.discord.replies import answer
from bot.discord.translator import interaction_lang
from bot.render.message import Message

if TYPE_CHECKING:
    from bot.discord.client import PaperBot


class AnnouncementsCog(commands.Cog):
    announce = server_admin_group(_("announce"), _("Announcements of new issues"))

    def __init__(self, bot: PaperBot) -> None:
        self.bot = bot
        self.service = bot.delivery.server_admin

    @announce.command(
        name=_("preview"), description=_("See the next announcement without posting it")
    )
    async def preview(self, interaction: discord.Interaction) -> None:
        guild_id = admin_guild_id(interaction)
        lang = interaction_lang(interaction)

        async def work() -> Message:
            return await self.service.preview(guild_id, lang)

        await answer(interaction, work(), ephemeral=True)

    @announce.command(name=_("now"), description=_("Post the latest issue now"))
    async def now(self, interaction: discord.Interaction) -> None:
        guild_id = admin_guild_id(interaction)
        lang = interaction_lang(interaction)

        async def work() -> Message:
            return Message(
                content=await self.service.post_now(guild_id, lang, actor=interaction.user.id)
            )

        await answer(interaction, work(), ephemeral=True, defer_after=0.5)

    @app_commands.command(
        name=_("status"), description=_("Sources, last posts, alert backlog and failures")
    )
    @server_admin_command
    async def status(self, interaction: discord.Interaction) -> None:
        guild_id = admin_guild_id(interaction)
        lang = interaction_lang(interaction)

        async def work() -> Message:
            owner = await self.bot.is_owner(interaction.user)
            embed = await self.service.status(guild_id, lang, include_global=owner)
            notice = await self.service.notice(guild_id, lang)
            return Message(content=notice, embeds=[embed])

        await answer(interaction, work(), ephemeral=True)


async def setup(bot: PaperBot) -> None:
    await bot.add_cog(AnnouncementsCog(bot))
