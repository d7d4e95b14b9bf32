"""/alerts follow|keyword|unfollow|list|pause|resume|forget: topic alerts by DM (also in DMs).

Thin: ``bot.services.subscriptions.Subscriptions`` does the work; every reply is ephemeral.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.discord.installs import everyone_group
from bot.discord.replies import Reply, answer
from bot.discord.translator import interaction_lang
from bot.discord.views import OwnedView
from bot.i18n import Lang, t
from bot.render.message import Message
from bot.services.data_lifecycle import DataLifecycle

if TYPE_CHECKING:
    from bot.discord.client import PaperBot


class ForgetView(OwnedView):
    """ "Delete my data" / "Cancel" under the ``/alerts forget`` question."""

    def __init__(self, lifecycle: DataLifecycle, owner_id: int, lang: Lang) -> None:
        super().__init__(owner_id, lang)
        self.lifecycle = lifecycle
        self.confirm_button.label = t("button.forget", lang)
        self.cancel_button.label = t("button.cancel", lang)

    async def _done(self, interaction: discord.Interaction, text: str) -> None:
        self.stop()
        await interaction.response.edit_message(content=text, view=None)

    @discord.ui.button(label="Delete", style=discord.ButtonStyle.danger, custom_id="forget:yes")
    async def confirm_button(
        self, interaction: discord.Interaction, button: discord.ui.Button[ForgetView]
    ) -> None:
        await self._done(interaction, await self.lifecycle.forget_user(self.owner_id, self.lang))

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary, custom_id="forget:no")
    async def cancel_button(
        self, interaction: discord.Interaction, button: discord.ui.Button[ForgetView]
    ) -> None:
        await self._done(interaction, t("alerts.forget_cancelled", self.lang))


class AlertsCog(commands.Cog):
    alerts = everyone_group(_("alerts"), _("Direct messages about topics you follow"))

    def __init__(self, bot: PaperBot) -> None:
        self.bot = bot
        self.lookup = bot.app.lookup
        self.service = bot.app.subscriptions

    async def _reply(self, interaction: discord.Interaction, text: str) -> None:
        async def work() -> Message:
            return Message(content=text)

        await answer(interaction, work(), ephemeral=True)

    @alerts.command(name=_("follow"), description=_("Get a DM when new papers carry a tag"))
    @app_commands.describe(tag=_("Only papers with this tag"))
    @app_commands.rename(tag=_("tag"))
    async def follow(
        self, interaction: discord.Interaction, tag: app_commands.Range[str, 1, 64]
    ) -> None:
        text = await self.service.follow_tag(
            interaction.user.id, tag, interaction_lang(interaction)
        )
        await self._reply(interaction, text)

    @follow.autocomplete("tag")
    async def _tag_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=tag, value=tag)
            for tag in await self.lookup.tag_choices(current)
        ]

    @alerts.command(
        name=_("keyword"), description=_("Get a DM when new papers mention a word or phrase")
    )
    @app_commands.describe(word=_("A word or phrase"))
    @app_commands.rename(word=_("word"))
    async def keyword(
        self, interaction: discord.Interaction, word: app_commands.Range[str, 1, 100]
    ) -> None:
        text = await self.service.follow_keyword(
            interaction.user.id, word, interaction_lang(interaction)
        )
        await self._reply(interaction, text)

    @alerts.command(name=_("unfollow"), description=_("Stop following a tag or keyword"))
    @app_commands.describe(topic=_("A tag or keyword you follow"))
    @app_commands.rename(topic=_("topic"))
    async def unfollow(
        self, interaction: discord.Interaction, topic: app_commands.Range[str, 1, 110]
    ) -> None:
        text = await self.service.unfollow(
            interaction.user.id, topic, interaction_lang(interaction)
        )
        await self._reply(interaction, text)

    @unfollow.autocomplete("topic")
    async def _subscription_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=label, value=value)
            for label, value in await self.service.subscription_choices(
                interaction.user.id, current
            )
        ]

    @alerts.command(name=_("list"), description=_("Your tags and keywords"))
    async def list_(self, interaction: discord.Interaction) -> None:
        lang = interaction_lang(interaction)

        async def work() -> Message:
            return Message(embeds=[await self.service.listing(interaction.user.id, lang)])

        await answer(interaction, work(), ephemeral=True)

    @alerts.command(name=_("pause"), description=_("Pause your alerts"))
    async def pause(self, interaction: discord.Interaction) -> None:
        text = await self.service.pause(interaction.user.id, interaction_lang(interaction))
        await self._reply(interaction, text)

    @alerts.command(name=_("forget"), description=_("Delete everything paperbot keeps about you"))
    async def forget(self, interaction: discord.Interaction) -> None:
        lang = interaction_lang(interaction)
        lifecycle = self.bot.delivery.lifecycle

        async def work() -> Reply:
            view = ForgetView(lifecycle, interaction.user.id, lang)
            view.interaction = interaction
            prompt = await lifecycle.forget_user_prompt(interaction.user.id, lang)
            return Reply(Message(content=prompt), view)

        await answer(interaction, work(), ephemeral=True)

    @alerts.command(
        name=_("recommend"),
        description=_("Papers picked from your library in your alert DMs"),
    )
    @app_commands.describe(mode=_("on or off"))
    @app_commands.rename(mode=_("mode"))
    @app_commands.choices(
        mode=[
            app_commands.Choice(name=_("on"), value="on"),
            app_commands.Choice(name=_("off"), value="off"),
        ]
    )
    async def recommend(
        self, interaction: discord.Interaction, mode: app_commands.Choice[str]
    ) -> None:
        text = await self.bot.app.discovery.set_recommend(
            interaction.user.id, mode.value == "on", interaction_lang(interaction)
        )
        await self._reply(interaction, text)

    @alerts.command(name=_("resume"), description=_("Turn your alerts back on"))
    async def resume(self, interaction: discord.Interaction) -> None:
        text = await self.service.resume(interaction.user.id, interaction_lang(interaction))
        await self._reply(interaction, text)


async def setup(bot: PaperBot) -> None:
    await bot.add_cog(AlertsCog(bot))
