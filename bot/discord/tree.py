"""One place for app-command errors: clear ephemeral text for the user, logs for the rest."""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.discord.observability import command_failed
from bot.i18n import lang_of, t
from bot.services.errors import UserFacingError

if TYPE_CHECKING:
    from bot.discord.client import PaperBot

log = logging.getLogger(__name__)


def user_message(error: BaseException, locale: str | None) -> str:
    """The text a user sees for `error`; unexpected errors get a quotable id and a log line."""
    lang = lang_of(locale)
    original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
    if isinstance(original, app_commands.TransformerError) and isinstance(
        original.__cause__, UserFacingError
    ):
        original = original.__cause__
    if isinstance(original, UserFacingError):
        return t(original.message_key, lang, **original.values)
    if isinstance(original, app_commands.CommandOnCooldown):
        return t("error.cooldown", lang, seconds=original.retry_after)
    if isinstance(original, app_commands.MissingPermissions | app_commands.CheckFailure):
        return str(original)
    error_id = secrets.token_hex(4)
    log.error("unexpected error %s", error_id, exc_info=original)
    return t("error.unexpected", lang, error_id=error_id)


async def send_ephemeral(interaction: discord.Interaction, text: str) -> None:
    """Answer with `text` only the user can see, whether or not we already responded."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not tell the user about an error (interaction %s)", interaction.id)


class PaperTree(app_commands.CommandTree["PaperBot"]):
    async def on_error(
        self, interaction: discord.Interaction[PaperBot], error: app_commands.AppCommandError, /
    ) -> None:
        command_failed(self.client.app.metrics, interaction)
        await send_ephemeral(interaction, user_message(error, str(interaction.locale)))
