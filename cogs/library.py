"""/library list|remove|export: the reading list, private to its owner, also in DMs and as a
user-installed app; and the Related/Save buttons under papers everywhere.

Thin: ``bot.services.discovery.Discovery`` does the work; every reply is ephemeral. The
buttons are ``DynamicItem``s (``bot.discord.paper_actions``), registered here so that they
work on any message that carries them, posted before or after a restart.
"""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.discord.installs import everyone_group
from bot.discord.paper_actions import DYNAMIC_ITEMS
from bot.discord.replies import DEFER_AFTER, Reply, answer
from bot.discord.translator import interaction_lang
from bot.discord.views import PagedView
from bot.i18n import Lang
from bot.render.message import Message
from bot.services.discovery import Discovery, LibraryPage

if TYPE_CHECKING:
    from bot.discord.client import PaperBot


class LibraryView(PagedView):
    def __init__(self, discovery: Discovery, page: LibraryPage, owner_id: int, lang: Lang) -> None:
        super().__init__(owner_id, lang)
        self.discovery = discovery
        self.show(page)

    def show(self, page: LibraryPage) -> None:
        self.page = page
        self.previous_button.disabled = page.page_number == 0
        self.next_button.disabled = page.page_number >= page.pages - 1

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        page = await self.discovery.library_page(
            self.owner_id, self.lang, self.page.page_number + step
        )
        self.show(page)
        await interaction.response.edit_message(
            embed=discord.Embed.from_dict(page.embed), view=self
        )


class LibraryCog(commands.Cog):
    library = everyone_group(_("library"), _("Your reading list (only you see it)"))

    def __init__(self, bot: PaperBot) -> None:
        self.bot = bot
        self.discovery = bot.app.discovery

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)

    @library.command(name=_("list"), description=_("Your saved papers, newest first"))
    async def list_(self, interaction: discord.Interaction) -> None:
        lang = interaction_lang(interaction)

        async def work() -> Reply:
            page = await self.discovery.library_page(interaction.user.id, lang)
            view = LibraryView(self.discovery, page, interaction.user.id, lang)
            view.interaction = interaction
            return Reply(Message(embeds=[page.embed]), view)

        await answer(interaction, work(), ephemeral=True)

    @library.command(name=_("remove"), description=_("Remove a paper from your library"))
    @app_commands.describe(title=_("A paper in your library (start typing)"))
    @app_commands.rename(title=_("title"))
    async def remove(
        self, interaction: discord.Interaction, title: app_commands.Range[str, 1, 300]
    ) -> None:
        lang = interaction_lang(interaction)

        async def work() -> Message:
            return Message(content=await self.discovery.remove(interaction.user.id, title, lang))

        await answer(interaction, work(), ephemeral=True)

    @remove.autocomplete("title")
    async def _saved_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=label, value=value)
            for label, value in await self.discovery.removal_choices(interaction.user.id, current)
        ]

    @library.command(name=_("export"), description=_("Your library as a Markdown file with BibTeX"))
    async def export(self, interaction: discord.Interaction) -> None:
        lang = interaction_lang(interaction)
        task = asyncio.ensure_future(self.discovery.export(interaction.user.id, lang))
        done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
        if not done:  # Discord's 3-second deadline: "thinking…", then the file
            await interaction.response.defer(ephemeral=True, thinking=True)
        exported = await task
        file = discord.File(io.BytesIO(exported.data), filename=exported.filename)
        if interaction.response.is_done():
            await interaction.edit_original_response(content=exported.text, attachments=[file])
        else:
            await interaction.response.send_message(exported.text, file=file, ephemeral=True)


async def setup(bot: PaperBot) -> None:
    await bot.add_cog(LibraryCog(bot))
