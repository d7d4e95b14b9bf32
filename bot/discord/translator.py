"""Korean command names and descriptions for Korean clients (discord.py's Translator)."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.i18n import COMMAND_TEXT


class PaperTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        if locale is not discord.Locale.korean:
            return None  # English is the default text Discord shows everyone else
        return COMMAND_TEXT.get(string.message)
