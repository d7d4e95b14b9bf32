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
    return explain(error, locale)[0]


def explain(error: BaseException, locale: str | None) -> tuple[str, bool]:
    """The text a user sees for ``error``, and whether it is a refusal (the member can act
    on it: a typo, a check, a command Discord still shows but that is gone) rather than an
    error of the bot or Discord. Unexpected errors get a quotable id and a log line."""
    lang = lang_of(locale)
    original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
    if isinstance(original, app_commands.TransformerError) and isinstance(
        original.__cause__, UserFacingError
    ):
        original = original.__cause__
    if isinstance(original, UserFacingError):
        return t(original.message_key, lang, **original.values), True
    if isinstance(original, app_commands.CheckFailure):
        return check_failure_text(original, lang), True
    if isinstance(original, app_commands.CommandNotFound):
        # Discord still shows a command this version no longer registers (until the next sync)
        return t("error.command_gone", lang), True
    if isinstance(original, app_commands.CommandSignatureMismatch):
        return t("error.command_changed", lang), True
    if isinstance(original, app_commands.TransformerError):
        return t("error.bad_value", lang), True
    if isinstance(original, discord.HTTPException):
        log.warning("Discord refused a request in a command: %s", original)
        return discord_error_text(original, lang), False
    error_id = secrets.token_hex(4)
    log.error("unexpected error %s", error_id, exc_info=original)
    return t("error.unexpected", lang, error_id=error_id), False


# Discord's JSON error codes (https://discord.com/developers/docs/topics/opcodes-and-status-codes)
_DISCORD_CODES = {
    10003: "error.discord.unknown_channel",
    10008: "error.discord.unknown_message",
    10062: "error.discord.unknown_interaction",
    40060: "error.discord.already_answered",
    50001: "error.discord.missing_access",
    50007: "error.discord.closed_dms",
    50013: "error.discord.missing_permissions",
    50035: "error.discord.invalid_form",
}


def discord_error_text(error: discord.HTTPException, lang: Lang) -> str:
    """A plain sentence for an error Discord answered while the bot handled a command."""
    key = _DISCORD_CODES.get(error.code)
    if key is not None:
        return t(key, lang)
    if isinstance(error, discord.Forbidden):
        return t("error.discord.missing_permissions", lang)
    if isinstance(error, discord.NotFound):
        return t("error.discord.not_found", lang)
    if error.status == 429:
        return t("error.discord.rate_limited", lang)
    if error.status >= 500:
        return t("error.discord.server", lang)
    return t("error.discord.other", lang, status=error.status)


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
        text, refused = explain(error, str(interaction.locale))
        command_failed(self.client.app.metrics, interaction, refused=refused)
        await send_ephemeral(interaction, text)
