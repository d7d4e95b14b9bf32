"""Locales: Korean command names for Korean clients (discord.py's Translator), and the
language to answer each interaction in."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.i18n import COMMAND_TEXT, Lang, lang_of


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


def interaction_lang(interaction: discord.Interaction) -> Lang:
    """The language to answer ``interaction`` in: the user's client locale."""
    return lang_of(str(interaction.locale))
