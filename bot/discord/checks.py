"""Permission checks and the permission sets commands need."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.services.refusals import UserFacingError

if TYPE_CHECKING:
    from bot.discord.client import PaperBot

__all__ = ["MANAGE_GUILD", "NotOwner", "admin_guild_id", "is_owner"]

MANAGE_GUILD = discord.Permissions(manage_guild=True)


def admin_guild_id(interaction: discord.Interaction) -> int:
    """The server's id if the member may manage it; the runtime half of the permission check
    (``default_permissions`` only hides the command, and server admins can change that)."""
    if interaction.guild_id is None:
        raise UserFacingError("error.guild_only")
    if not interaction.permissions.manage_guild:
        raise UserFacingError("error.manage_guild")
    return interaction.guild_id


class NotOwner(app_commands.CheckFailure):
    def __str__(self) -> str:
        return "Only the bot's owner can do that."


async def is_owner(interaction: discord.Interaction[PaperBot]) -> bool:
    if await interaction.client.is_owner(interaction.user):
        return True
    raise NotOwner
