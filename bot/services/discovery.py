"""Discovery: related papers, the reading list, and reading-list picks (plain data for cogs).

Discord-free. Paper views come with their Related and Save buttons
(``bot.render.discovery.paper_actions``); everything about a reading list is answered to its
owner only (the cogs reply ephemerally).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import Lang, Msg, t
from bot.render.discovery import (
    LIBRARY_PAGE,
    library_embed,
    library_markdown,
    paper_view,
    related_embed,
)
from bot.render.limits import shorten
from bot.render.message import Embed, Message
from bot.render.papers import paper_title
from bot.services.lookup import Lookup, parse_title
from bot.services.refusals import NotFoundError, UserFacingError
from bot.store import PaperRecord, Store
from bot.store.community.library import MAX_SAVED

__all__ = ["Discovery", "Export", "LibraryPage"]

RELATED_LIMIT = 5
AUTOCOMPLETE_LIMIT = 25
TITLE_IN_REPLY = 120


@dataclass(frozen=True)
class LibraryPage:
    embed: Embed
    page_number: int
    pages: int


@dataclass(frozen=True)
class Export:
    """The reading list as a file to attach."""

    filename: str
    data: bytes
    count: int
    text: str


class Discovery:
    def __init__(self, store: Store, lookup: Lookup) -> None:
        self.store = store
        self.lookup = lookup

    # -- paper views (with their buttons) -------------------------------------------------

    async def find(self, choice: str) -> PaperRecord:
        """A paper by the id an autocomplete choice carries, or by the typed title."""
        title = parse_title(choice)
        paper: PaperRecord | None = None
        if title.paper_id is not None:
            paper = await self.store.get_paper(title.paper_id)
        if paper is None and title.text:
            page = await self.store.search(title.text, limit=1)
            paper = page.hits[0].paper if page.hits else None
        if paper is None:
            raise NotFoundError("error.paper_not_found", query=choice[:100])
        return paper

    async def paper_by_id(self, paper_id: int) -> PaperRecord:
        paper = await self.store.get_paper(paper_id)
        if paper is None:
            raise NotFoundError("error.paper_not_found", query=str(paper_id))
        return paper

    @staticmethod
    def view(paper: PaperRecord, lang: Lang) -> Message:
        embed, components = paper_view(paper, lang)
        return Message(embeds=[embed], components=components)

    async def paper(self, choice: str, lang: Lang) -> Message:
        """``/paper show``: the paper's details with Related and Save."""
        return self.view(await self.find(choice), lang)

    async def paper_details(self, paper_id: int, lang: Lang) -> Message:
        return self.view(await self.paper_by_id(paper_id), lang)

    async def random_paper(self, lang: Lang, *, tag: str | None = None) -> Message:
        tag = (
            await self.lookup.followable_tag(tag) if tag else None
        )  # a vocabulary tag without papers yet: say so
        paper = await self.store.random_paper(tag=tag)
        if paper is None:
            raise NotFoundError(
                "paper.no_random", where=Msg("paper.tagged", {"tag": tag}) if tag else ""
            )
        return self.view(paper, lang)

    # -- related papers -------------------------------------------------------------------

    async def related(self, choice: str, lang: Lang) -> Message:
        """``/paper related``: up to five papers closest to the chosen one."""
        return await self._related(await self.find(choice), lang)

    async def related_by_id(self, paper_id: int, lang: Lang) -> Message:
        return await self._related(await self.paper_by_id(paper_id), lang)

    async def _related(self, paper: PaperRecord, lang: Lang) -> Message:
        hits = await self.store.related(paper.id, RELATED_LIMIT)
        records = {p.id: p for p in await self.store.get_papers([h.paper_id for h in hits])}
        listed = [(records[h.paper_id], h.reasons) for h in hits if h.paper_id in records]
        return Message(embeds=[related_embed(paper, listed, lang)])

    # -- the reading list -----------------------------------------------------------------

    async def save(self, user_id: int, paper_id: int, lang: Lang) -> str:
        paper = await self.paper_by_id(paper_id)
        title = shorten(paper_title(paper), TITLE_IN_REPLY)
        outcome = await self.store.library.save(user_id, paper_id)
        if outcome == "missing":
            raise NotFoundError("error.paper_not_found", query=str(paper_id))
        if outcome == "full":
            raise UserFacingError("library.full", limit=MAX_SAVED)
        if outcome == "already":
            return t("library.already", lang, title=title)
        count = await self.store.library.count(user_id)
        return t("library.saved", lang, title=title, count=count, limit=MAX_SAVED)

    async def remove(self, user_id: int, choice: str, lang: Lang) -> str:
        """``choice`` is a paper id (from autocomplete) or a title typed in full or in part."""
        title = parse_title(choice)
        saved = await self.store.library.saved(user_id)
        target = next((s for s in saved if s.paper_id == title.paper_id), None)
        if target is None and title.paper_id is None:  # an id is never read as words ("1")
            needle = title.text.casefold()
            target = next((s for s in saved if needle and needle in s.title.casefold()), None)
        if target is None or not await self.store.library.remove(user_id, target.paper_id):
            raise UserFacingError("library.not_saved", query=choice[:100])
        return t("library.removed", lang, title=shorten(target.title, TITLE_IN_REPLY))

    async def removal_choices(self, user_id: int, typed: str) -> list[tuple[str, str]]:
        """(label, value) pairs of saved papers whose title contains what was typed."""
        needle = typed.strip().casefold()
        choices = [
            (shorten(s.title or str(s.paper_id), 100), str(s.paper_id))
            for s in await self.store.library.saved(user_id)
            if needle in s.title.casefold()
        ]
        return choices[:AUTOCOMPLETE_LIMIT]

    async def library_page(self, user_id: int, lang: Lang, page_number: int = 0) -> LibraryPage:
        total = await self.store.library.count(user_id)
        pages = max(1, -(-total // LIBRARY_PAGE))
        page_number = min(max(page_number, 0), pages - 1)
        saved = await self.store.library.saved(
            user_id, limit=LIBRARY_PAGE, offset=page_number * LIBRARY_PAGE
        )
        records = await self.store.get_papers([s.paper_id for s in saved])
        urls = {paper.id: paper.url for paper in records}
        embed = library_embed(saved, total, lang, page_number=page_number, urls=urls)
        return LibraryPage(embed, page_number, pages)

    async def export(self, user_id: int, lang: Lang) -> Export:
        saved = await self.store.library.saved(user_id)
        if not saved:
            raise UserFacingError("library.empty")
        papers = await self.store.get_papers([s.paper_id for s in saved])
        markdown = library_markdown(papers, lang)
        return Export(
            filename="paperbot-library.md",
            data=markdown.encode("utf-8"),
            count=len(papers),
            text=t("library.export_ready", lang, count=len(papers)),
        )

    # -- recommendations ------------------------------------------------------------------

    async def set_recommend(self, user_id: int, on: bool, lang: Lang) -> str:
        await self.store.library.set_recommend(user_id, on, locale=lang)
        if not on:
            return t("recommend.off", lang)
        text = t("recommend.on", lang)
        if await self.store.library.count(user_id) == 0:
            text += t("recommend.on_empty", lang)
        return text
