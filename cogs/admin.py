"""Owner-only maintenance: re-sync slash commands on demand."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.checks import is_owner

if TYPE_CHECKING:
    from bot.discord.client import PaperBot


class AdminCog(commands.Cog):
    admin = app_commands.Group(
        name="paperbot-admin",
        description="Bot owner maintenance",
        default_permissions=discord.Permissions(administrator=True),
    )

    def __init__(self, bot: PaperBot) -> None:
        self.bot = bot

    @admin.command(name="sync", description="Sync slash commands with Discord now")
    @app_commands.check(is_owner)
    async def sync(self, interaction: discord.Interaction[PaperBot]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        synced = await self.bot.sync_commands(force=True)
        await interaction.followup.send(
            "Commands synced." if synced else "Nothing to sync.", ephemeral=True
        )


async def setup(bot: PaperBot) -> None:
    await bot.add_cog(AdminCog(bot))
