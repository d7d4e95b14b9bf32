"""One place for app-command errors: clear ephemeral text for the user, logs for the rest."""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.discord.checks import NotOwner
from bot.discord.observability import command_failed
from bot.i18n import MESSAGES, Lang, lang_of, seconds_to_wait, t
from bot.services.refusals import UserFacingError

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
    if isinstance(original, app_commands.CheckFailure):
        return check_failure_text(original, lang)
    error_id = secrets.token_hex(4)
    log.error("unexpected error %s", error_id, exc_info=original)
    return t("error.unexpected", lang, error_id=error_id)


def permission_names(names: list[str], lang: Lang) -> str:
    """discord.py permission names (``embed_links``) as the client shows them, localised."""
    shown = []
    for name in names:
        key = f"perm.{name}"
        shown.append(t(key, lang) if key in MESSAGES else name.replace("_", " ").title())
    return ", ".join(shown)


def check_failure_text(error: app_commands.CheckFailure, lang: Lang) -> str:
    """Every failed check in the user's language (discord.py's own texts are English)."""
    if isinstance(error, app_commands.CommandOnCooldown):
        seconds = seconds_to_wait(error.retry_after)
        return t("error.cooldown", lang, seconds=seconds, count=seconds)
    if isinstance(error, app_commands.NoPrivateMessage):
        return t("error.guild_only", lang)
    if isinstance(error, app_commands.MissingPermissions):
        names = permission_names(error.missing_permissions, lang)
        return t("error.missing_permissions", lang, permissions=names)
    if isinstance(error, app_commands.BotMissingPermissions):
        names = permission_names(error.missing_permissions, lang)
        return t("error.bot_missing_permissions", lang, permissions=names)
    if isinstance(error, NotOwner):
        return t("error.not_owner", lang)
    return t("error.check_failed", lang)


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
