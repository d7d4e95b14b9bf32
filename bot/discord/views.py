"""Views every cog can use: buttons only the command's user may press, and page turning."""

from __future__ import annotations

import contextlib

import discord

from bot.discord.tree import send_ephemeral, user_message
from bot.i18n import Lang, t
from bot.services.refusals import NotYourInteractionError

__all__ = ["VIEW_TIMEOUT", "OwnedView", "PagedView"]

VIEW_TIMEOUT = 600.0  # buttons retire after 10 minutes (interaction tokens live 15)


class OwnedView(discord.ui.View):
    """A view only the person who ran the command may use; it disables itself on expiry."""

    def __init__(self, owner_id: int, lang: Lang) -> None:
        super().__init__(timeout=VIEW_TIMEOUT)
        self.owner_id = owner_id
        self.lang = lang
        self.interaction: discord.Interaction | None = None  # the command, to edit on expiry

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            raise NotYourInteractionError
        return True

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[OwnedView]
    ) -> None:
        await send_ephemeral(interaction, user_message(error, str(interaction.locale)))

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True
        if self.interaction is not None:
            # The message may be gone or the token expired: then nothing is left to retire.
            with contextlib.suppress(discord.HTTPException):
                await self.interaction.edit_original_response(view=self)


class PagedView(OwnedView):
    """Previous/Next buttons over pages; subclasses say how to turn a page."""

    def __init__(self, owner_id: int, lang: Lang) -> None:
        super().__init__(owner_id, lang)
        self.previous_button.label = t("button.previous", lang)
        self.next_button.label = t("button.next", lang)

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        raise NotImplementedError

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary, custom_id="page:prev")
    async def previous_button(
        self, interaction: discord.Interaction, button: discord.ui.Button[PagedView]
    ) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.primary, custom_id="page:next")
    async def next_button(
        self, interaction: discord.Interaction, button: discord.ui.Button[PagedView]
    ) -> None:
        await self._turn(interaction, +1)
