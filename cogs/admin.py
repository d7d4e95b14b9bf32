"""Owner-only maintenance: re-sync slash commands on demand.

Registered to the owner's server only (``[discord] owner_guild_id``), as a guild command of
the guild install: other servers' admins never see it. Without that setting it is not
registered at all.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.checks import is_owner
from bot.discord.installs import in_servers, server_install
from bot.discord.translator import interaction_lang
from bot.i18n import t

if TYPE_CHECKING:
    from bot.discord.client import PaperBot

log = logging.getLogger(__name__)


class AdminCog(commands.Cog):
    admin = app_commands.Group(
        name="paperbot-admin",
        description="Bot owner maintenance",
        default_permissions=discord.Permissions(administrator=True),
        allowed_contexts=in_servers(),
        allowed_installs=server_install(),
    )

    def __init__(self, bot: PaperBot) -> None:
        self.bot = bot

    @admin.command(name="sync", description="Sync slash commands with Discord now")
    @app_commands.check(is_owner)
    async def sync(self, interaction: discord.Interaction[PaperBot]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        synced = await self.bot.sync_commands(force=True)
        lang = interaction_lang(interaction)
        text = t("admin.synced" if synced else "admin.nothing_to_sync", lang)
        await interaction.followup.send(text, ephemeral=True)


async def setup(bot: PaperBot) -> None:
    guild = bot.owner_guild
    if guild is None:
        log.info("no [discord] owner_guild_id: the owner's commands are not registered")
        return
    await bot.add_cog(AdminCog(bot), guild=guild)
