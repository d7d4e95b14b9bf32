"""/settings: where, when and how a server's new issues are announced (Manage Server only).

Thin: check the member may manage the server, call ``bot.services.server_admin.ServerAdmin``, reply
ephemerally. Each change re-creates the server's announcement job in the scheduler.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.discord.checks import admin_guild_id
from bot.discord.installs import server_admin_group
from bot.discord.replies import answer
from bot.discord.translator import interaction_lang
from bot.i18n import t
from bot.render.admin import settings_embed
from bot.render.message import Message
from bot.services.server_admin import (
    ANNOUNCE_PERMISSIONS,
    SettingsChange,
    check_announce_channel,
    check_ping_role,
    parse_kinds,
    timezone_choices,
)

if TYPE_CHECKING:
    from bot.discord.client import PaperBot

WEEKDAY_CHOICES = [
    app_commands.Choice(name=_(name), value=number)
    for number, name in enumerate(
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    )
]
VISIBILITY_CHOICES = [
    app_commands.Choice(name=_("Everyone"), value="public"),
    app_commands.Choice(name=_("Only the person searching (with a Share button)"), value="private"),
]
LANGUAGE_CHOICES = [
    app_commands.Choice(name=_("Korean"), value="ko"),
    app_commands.Choice(name=_("English"), value="en"),
]


class SettingsCog(commands.Cog):
    settings = server_admin_group(_("settings"), _("Announcement settings for this server"))

    def __init__(self, bot: PaperBot) -> None:
        self.bot = bot
        self.service = bot.delivery.server_admin

    async def _save(self, interaction: discord.Interaction, change: SettingsChange) -> None:
        guild_id = admin_guild_id(interaction)
        lang = interaction_lang(interaction)

        async def work() -> Message:
            saved = await self.service.change(guild_id, change, actor=interaction.user.id)
            return Message(
                content=t("settings.saved", lang),
                embeds=[settings_embed(saved, lang, self.bot.clock())],
            )

        await answer(interaction, work(), ephemeral=True)

    @settings.command(name=_("channel"), description=_("Where new issues are announced"))
    @app_commands.describe(channel=_("The channel for announcements"))
    @app_commands.rename(channel=_("channel"))
    async def channel(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        admin_guild_id(interaction)
        me = channel.guild.me
        if me is not None:
            perms = channel.permissions_for(me)
            granted = {name for name in ANNOUNCE_PERMISSIONS if getattr(perms, name)}
            check_announce_channel(granted, channel.mention)
        await self._save(interaction, SettingsChange(channel_id=channel.id))

    async def _can_mention_everyone(self, guild_id: int) -> bool:
        """Whether the bot may ping any role where it announces (the server, if no channel)."""
        guild = self.bot.get_guild(guild_id)
        me = guild.me if guild is not None else None
        if guild is None or me is None:
            return False
        channel_id = await self.service.channel_id(guild_id)
        channel = guild.get_channel(channel_id) if channel_id is not None else None
        if isinstance(channel, discord.abc.GuildChannel):
            return channel.permissions_for(me).mention_everyone
        return me.guild_permissions.mention_everyone

    @settings.command(
        name=_("schedule"), description=_("The weekday and time of the weekly announcement")
    )
    @app_commands.describe(weekday=_("The day of the week"), time=_("Time of day, HH:MM (24-hour)"))
    @app_commands.rename(weekday=_("weekday"), time=_("time"))
    @app_commands.choices(weekday=WEEKDAY_CHOICES)
    async def schedule(
        self,
        interaction: discord.Interaction,
        weekday: app_commands.Choice[int],
        time: app_commands.Range[str, 3, 5],
    ) -> None:
        await self._save(interaction, SettingsChange(weekday=weekday.value, time=time))

    @settings.command(name=_("timezone"), description=_("The server's time zone (IANA name)"))
    @app_commands.describe(zone=_("e.g. Asia/Seoul, Europe/Berlin"))
    @app_commands.rename(zone=_("zone"))
    async def timezone(
        self, interaction: discord.Interaction, zone: app_commands.Range[str, 1, 64]
    ) -> None:
        await self._save(interaction, SettingsChange(timezone=zone))

    @timezone.autocomplete("zone")
    async def _zone_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=zone, value=zone) for zone in timezone_choices(current)]

    @settings.command(
        name=_("role"), description=_("The role pinged by announcements (none: no ping)")
    )
    @app_commands.describe(role=_("The role to ping; leave empty for none"))
    @app_commands.rename(role=_("role"))
    async def role(
        self, interaction: discord.Interaction, role: discord.Role | None = None
    ) -> None:
        guild_id = admin_guild_id(interaction)
        if role is not None:
            check_ping_role(
                mentionable=role.mentionable and not role.is_default(),
                can_mention_everyone=await self._can_mention_everyone(guild_id),
                role_mention=role.mention,
            )
        await self._save(
            interaction, SettingsChange(role_id=role.id if role else None, set_role=True)
        )

    @settings.command(name=_("kinds"), description=_("Which digests are announced"))
    @app_commands.describe(kinds=_("weekly, daily and/or note, separated by spaces"))
    @app_commands.rename(kinds=_("kinds"))
    async def kinds(
        self, interaction: discord.Interaction, kinds: app_commands.Range[str, 1, 100]
    ) -> None:
        await self._save(interaction, SettingsChange(kinds=parse_kinds(kinds)))

    @settings.command(name=_("language"), description=_("The language of announcements"))
    @app_commands.describe(language=_("The language"))
    @app_commands.rename(language=_("language"))
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def language(
        self, interaction: discord.Interaction, language: app_commands.Choice[str]
    ) -> None:
        await self._save(
            interaction, SettingsChange(language="en" if language.value == "en" else "ko")
        )

    @settings.command(
        name=_("search-replies"), description=_("Who sees /search results in this server")
    )
    @app_commands.describe(visibility=_("Everyone, or only the person searching"))
    @app_commands.rename(visibility=_("visibility"))
    @app_commands.choices(visibility=VISIBILITY_CHOICES)
    async def search_replies(
        self, interaction: discord.Interaction, visibility: app_commands.Choice[str]
    ) -> None:
        guild_id = admin_guild_id(interaction)
        lang = interaction_lang(interaction)

        async def work() -> Message:
            public = visibility.value == "public"
            return Message(content=await self.service.set_search_public(guild_id, public, lang))

        await answer(interaction, work(), ephemeral=True)

    @settings.command(
        name=_("trends"), description=_("Attach the weekly trend chart to announcements")
    )
    @app_commands.describe(attach=_("True: attach the chart; False: do not"))
    @app_commands.rename(attach=_("attach"))
    async def trends(self, interaction: discord.Interaction, attach: bool) -> None:
        guild_id = admin_guild_id(interaction)
        lang = interaction_lang(interaction)

        async def work() -> Message:
            await self.bot.app.trends.set_announce_chart(guild_id, attach)
            return Message(content=t("trends.chart_on" if attach else "trends.chart_off", lang))

        await answer(interaction, work(), ephemeral=True)

    @settings.command(name=_("show"), description=_("Show the settings and the next post time"))
    async def show(self, interaction: discord.Interaction) -> None:
        guild_id = admin_guild_id(interaction)
        lang = interaction_lang(interaction)

        async def work() -> Message:
            embed = await self.service.show(guild_id, lang)
            notice = await self.service.notice(guild_id, lang)
            return Message(content=notice, embeds=[embed])

        await answer(interaction, work(), ephemeral=True)


async def setup(bot: PaperBot) -> None:
    await bot.add_cog(SettingsCog(bot))
