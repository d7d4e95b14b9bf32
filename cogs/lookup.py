"""/search, /paper random|show, /digest latest|list and /tags.

Thin: parse the interaction, call `bot.services.lookup.Lookup`, turn its embeds into a reply.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.digests.models import DigestKind
from bot.discord.installs import everyone_group, usable_anywhere
from bot.discord.replies import Reply, answer
from bot.discord.translator import interaction_lang
from bot.discord.views import PagedView
from bot.i18n import Lang, t
from bot.render.message import Message
from bot.services.discovery import Discovery
from bot.services.lookup import PAGE_SIZE, Lookup, SearchView

if TYPE_CHECKING:
    from bot.discord.client import PaperBot

T = TypeVar("T")

# Per user and per command: (uses, seconds). Enough to browse; not enough to flood a channel.
SEARCH_COOLDOWN = (4, 20.0)
LOOKUP_COOLDOWN = (5, 20.0)


def per_user(rate: tuple[int, float]) -> Callable[[T], T]:
    """A per-user cooldown; going faster gets a localised "try again in N seconds"."""
    return app_commands.checks.cooldown(*rate, key=lambda interaction: interaction.user.id)


KIND_CHOICES = [
    app_commands.Choice(name=_("weekly"), value="weekly"),
    app_commands.Choice(name=_("daily"), value="daily"),
    app_commands.Choice(name=_("note"), value="note"),
]


class SearchResultsView(PagedView):
    def __init__(
        self,
        lookup: Lookup,
        discovery: Discovery,
        result: SearchView,
        owner_id: int,
        lang: Lang,
        *,
        query: str,
        tag: str | None,
        kind: DigestKind | None,
        shareable: bool = False,
    ) -> None:
        super().__init__(owner_id, lang)
        self.lookup = lookup
        self.discovery = discovery
        self.query, self.tag, self.kind = query, tag, kind
        self._details_menu.placeholder = t("select.details", lang)
        if shareable:  # a private reply: the searcher may post it for everyone
            share: discord.ui.Button[SearchResultsView] = discord.ui.Button(
                label=t("button.share", lang),
                style=discord.ButtonStyle.success,
                custom_id="search:share",
                row=0,
            )
            share.callback = self._share  # type: ignore[method-assign]
            self.add_item(share)
        self.show(result)

    async def _share(self, interaction: discord.Interaction) -> None:
        """Post the page the searcher is looking at, for everyone, saying who shared it."""
        text = t("search.shared_by", self.lang, user=interaction.user.mention)
        await interaction.response.send_message(
            content=text, embed=discord.Embed.from_dict(self.result.embed)
        )

    @property
    def _details_menu(self) -> discord.ui.Select[SearchResultsView]:
        # discord.py types the decorated menu as its callback; at run time it is the menu.
        return cast("discord.ui.Select[SearchResultsView]", self.details)

    def show(self, result: SearchView) -> None:
        self.result = result
        self.previous_button.disabled = result.page_number == 0
        self.next_button.disabled = result.page_number >= result.pages - 1
        first_rank = result.page_number * PAGE_SIZE + 1
        self._details_menu.options = [
            discord.SelectOption(
                label=f"{rank}. {(hit.paper.title_en or hit.paper.title_ko or '')}"[:100],
                value=str(hit.paper.id),
            )
            for rank, hit in enumerate(result.page.hits, start=first_rank)
        ]

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        result = await self.lookup.search(
            self.query,
            self.lang,
            tag=self.tag,
            kind=self.kind,
            page_number=self.result.page_number + step,
        )
        self.show(result)
        await interaction.response.edit_message(
            embed=discord.Embed.from_dict(result.embed), view=self
        )

    @discord.ui.select(
        placeholder="Details", custom_id="search:details", min_values=1, max_values=1
    )
    async def details(
        self, interaction: discord.Interaction, select: discord.ui.Select[SearchResultsView]
    ) -> None:
        discovery = self.discovery
        lang = interaction_lang(interaction)

        async def work() -> Message:  # the paper with its Related and Save buttons
            return await discovery.paper_details(int(select.values[0]), lang)

        await answer(interaction, work(), ephemeral=True)


class DigestListView(PagedView):
    def __init__(self, lookup: Lookup, owner_id: int, lang: Lang, pages: int) -> None:
        super().__init__(owner_id, lang)
        self.lookup = lookup
        self.page_number = 0
        self.pages = pages
        self._update()

    def _update(self) -> None:
        self.previous_button.disabled = self.page_number == 0
        self.next_button.disabled = self.page_number >= self.pages - 1

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        embed, self.pages = await self.lookup.issue_page(self.lang, self.page_number + step)
        self.page_number = min(max(self.page_number + step, 0), self.pages - 1)
        self._update()
        await interaction.response.edit_message(embed=discord.Embed.from_dict(embed), view=self)


class LookupCog(commands.Cog):
    paper = everyone_group(_("paper"), _("Look at one paper"))
    digest = everyone_group(_("digest"), _("Weekly issues and daily notes"))

    def __init__(self, bot: PaperBot) -> None:
        self.bot = bot
        self.lookup = bot.app.lookup
        self.discovery = bot.app.discovery  # paper views with Related and Save

    # -- autocomplete ------------------------------------------------------------------------

    async def _tag_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=tag, value=tag)
            for tag in await self.lookup.tag_choices(current)
        ]

    async def _title_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=label, value=value)
            for label, value in await self.lookup.title_choices(current)
        ]

    # -- commands ----------------------------------------------------------------------------

    @app_commands.command(name=_("search"), description=_("Search papers in Korean or English"))
    @usable_anywhere
    @per_user(SEARCH_COOLDOWN)
    @app_commands.describe(
        query=_("Words, a title, an author or a tag"),
        tag=_("Only papers with this tag"),
        kind=_("Only this kind of digest"),
    )
    @app_commands.rename(query=_("query"), tag=_("tag"), kind=_("kind"))
    @app_commands.choices(kind=KIND_CHOICES)
    async def search(
        self,
        interaction: discord.Interaction,
        query: app_commands.Range[str, 1, 200],
        tag: str | None = None,
        kind: app_commands.Choice[str] | None = None,
    ) -> None:
        lang = interaction_lang(interaction)
        digest_kind = DigestKind(kind.value) if kind else None
        public = await self.lookup.search_public(interaction.guild_id)

        async def work() -> Reply:
            result = await self.lookup.search(query, lang, tag=tag, kind=digest_kind)
            view = SearchResultsView(
                self.lookup,
                self.discovery,
                result,
                interaction.user.id,
                lang,
                query=query,
                tag=tag,
                kind=digest_kind,
                shareable=not public,
            )
            view.interaction = interaction
            content = None if public else t("search.private", lang)
            return Reply(Message(content=content, embeds=[result.embed]), view)

        await answer(interaction, work(), ephemeral=not public)

    search.autocomplete("tag")(_tag_autocomplete)

    @paper.command(name=_("random"), description=_("A random paper"))
    @per_user(LOOKUP_COOLDOWN)
    @app_commands.describe(tag=_("Only papers with this tag"))
    @app_commands.rename(tag=_("tag"))
    async def paper_random(self, interaction: discord.Interaction, tag: str | None = None) -> None:
        lang = interaction_lang(interaction)

        async def work() -> Message:
            return await self.discovery.random_paper(lang, tag=tag)

        await answer(interaction, work())

    paper_random.autocomplete("tag")(_tag_autocomplete)

    @paper.command(name=_("show"), description=_("A paper's details"))
    @per_user(LOOKUP_COOLDOWN)
    @app_commands.describe(title=_("The paper's title (start typing)"))
    @app_commands.rename(title=_("title"))
    async def paper_show(
        self, interaction: discord.Interaction, title: app_commands.Range[str, 1, 300]
    ) -> None:
        lang = interaction_lang(interaction)

        async def work() -> Message:
            return await self.discovery.paper(title, lang)

        await answer(interaction, work())

    paper_show.autocomplete("title")(_title_autocomplete)

    @paper.command(name=_("related"), description=_("Papers close to one paper"))
    @app_commands.describe(title=_("The paper's title (start typing)"))
    @app_commands.rename(title=_("title"))
    async def paper_related(
        self, interaction: discord.Interaction, title: app_commands.Range[str, 1, 300]
    ) -> None:
        lang = interaction_lang(interaction)

        async def work() -> Message:
            return await self.discovery.related(title, lang)

        await answer(interaction, work())

    paper_related.autocomplete("title")(_title_autocomplete)

    @digest.command(name=_("latest"), description=_("The latest digests"))
    @per_user(LOOKUP_COOLDOWN)
    @app_commands.describe(kind=_("Only this kind of digest"))
    @app_commands.rename(kind=_("kind"))
    @app_commands.choices(kind=KIND_CHOICES)
    async def digest_latest(
        self, interaction: discord.Interaction, kind: app_commands.Choice[str] | None = None
    ) -> None:
        lang = interaction_lang(interaction)

        async def work() -> Message:
            digest_kind = DigestKind(kind.value) if kind else None
            return Message(embeds=[await self.lookup.latest(lang, kind=digest_kind)])

        await answer(interaction, work())

    @digest.command(name=_("list"), description=_("All digests, newest first"))
    @per_user(LOOKUP_COOLDOWN)
    async def digest_list(self, interaction: discord.Interaction) -> None:
        lang = interaction_lang(interaction)

        async def work() -> Reply:
            embed, pages = await self.lookup.issue_page(lang, 0)
            view = DigestListView(self.lookup, interaction.user.id, lang, pages)
            view.interaction = interaction
            return Reply(Message(embeds=[embed]), view)

        await answer(interaction, work())

    @app_commands.command(name=_("tags"), description=_("The tags and how many papers carry each"))
    @usable_anywhere
    @per_user(LOOKUP_COOLDOWN)
    async def tags(self, interaction: discord.Interaction) -> None:
        lang = interaction_lang(interaction)

        async def work() -> Message:
            return Message(embeds=[await self.lookup.tags(lang)])

        await answer(interaction, work())


async def setup(bot: PaperBot) -> None:
    await bot.add_cog(LookupCog(bot))
