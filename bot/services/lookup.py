"""The lookup features behind /search, /paper, /digest and /tags, free of discord.py.

Validates user input (raising `UserFacingError`s with helpful hints), asks the store, and
renders plain embed dicts in the user's language. Cogs only translate interactions to calls
here and results to Discord messages.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.digests.models import DigestKind
from bot.i18n import Lang, Msg
from bot.i18n.user_text import quote_user_text
from bot.render.message import Embed
from bot.render.papers import issues_embed, paper_embed, search_embed, tags_embed
from bot.services.refusals import BadQueryError, NotFoundError
from bot.store import Store
from bot.store.records import SearchPage

PAGE_SIZE = 5
MAX_QUERY = 200
AUTOCOMPLETE_LIMIT = 25  # Discord's maximum number of choices
MAX_PAPER_ID = 2**63 - 1  # SQLite's largest integer: a bigger one cannot even be asked for


@dataclass(frozen=True, slots=True)
class TitleChoice:
    """What a member's ``title`` option means: the paper id an autocomplete choice carries
    (``paper_id``), else text to look the paper up by (``text``, stripped)."""

    text: str
    paper_id: int | None = None


def parse_title(value: str) -> TitleChoice:
    """The one parser of every command's ``title`` option (``/paper show``, ``/paper
    related``, ``/library remove``); never raises.

    An id is ASCII digits only, within SQLite's integer range: ``"²".isdigit()`` and
    ``"٣".isdecimal()`` are true but they are no paper id (``int("²")`` raises), so they,
    negative numbers and numbers too big for the store are text like any other title.
    """
    text = value.strip()
    if text.isascii() and text.isdecimal() and len(text) <= len(str(MAX_PAPER_ID)):
        number = int(text)
        if 0 < number <= MAX_PAPER_ID:
            return TitleChoice(text, number)
    return TitleChoice(text)


@dataclass(frozen=True)
class SearchView:
    """One rendered page of results and what the page buttons need to know."""

    embed: Embed
    page: SearchPage
    page_number: int
    pages: int


class Lookup:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- search ----------------------------------------------------------------------------

    async def search_public(self, guild_id: int | None) -> bool:
        """Whether ``/search`` answers for everyone here: a server's choice (public by
        default); everywhere else (DMs, private channels) the answer is for the channel."""
        if guild_id is None:
            return True
        return await self.store.guilds.search_public(guild_id)

    async def search(
        self,
        query: str,
        lang: Lang,
        *,
        tag: str | None = None,
        kind: DigestKind | None = None,
        page_number: int = 0,
    ) -> SearchView:
        query = " ".join(query.split())
        page_number = max(0, page_number)
        if not query:
            raise BadQueryError("error.query_empty")
        if len(query) > MAX_QUERY:
            raise BadQueryError("error.query_too_long", length=len(query), limit=MAX_QUERY)
        tag = await self.known_tag(tag) if tag else None
        page = await self.store.search(
            query, tag=tag, kind=kind, limit=PAGE_SIZE, offset=page_number * PAGE_SIZE
        )
        if page.total == 0:
            raise NotFoundError("search.empty", query=query, hint=await self._empty_hint())
        pages = max(1, -(-page.total // PAGE_SIZE))
        if page_number >= pages:  # the result set shrank since the buttons were drawn
            return await self.search(query, lang, tag=tag, kind=kind, page_number=pages - 1)
        embed = search_embed(page, lang, page_number=page_number, page_size=PAGE_SIZE)
        return SearchView(embed=embed, page=page, page_number=page_number, pages=pages)

    async def _empty_hint(self) -> tuple[Msg, ...]:
        popular = [quote_user_text(tag) for tag, _ in (await self.store.tag_counts())[:5]]
        hint = [Msg("search.hint_other_language")]
        if popular:
            hint.append(Msg("search.hint_tags", {"tags": ", ".join(popular)}))
        return tuple(hint)

    async def known_tag(self, raw: str) -> str:
        """The tag a user means by `raw` (aliases and spellings resolved by the store's
        vocabulary) if some paper carries it, or a NotFound that names the nearest tags."""
        tag = await self.store.resolve_tag(raw)
        if tag is None:
            planned = await self.store.resolve_tag(raw, in_use=False)
            if planned is not None:  # a vocabulary tag no paper carries yet: say just that
                raise NoPapersTaggedError(planned)
            raise await self._unknown_tag(raw)
        return tag

    async def followable_tag(self, raw: str) -> str:
        """Like ``known_tag``, but any tag of the vocabulary counts too: alerts are for papers
        that have not arrived yet."""
        tag = await self.store.resolve_tag(raw, in_use=False)
        if tag is None:
            raise await self._unknown_tag(raw)
        return tag

    async def _unknown_tag(self, raw: str) -> UnknownTagError:
        near = await self.store.nearest_tags(raw)
        hint = (
            Msg(
                "hint.did_you_mean",
                {"suggestions": ", ".join(quote_user_text(n) for n in near)},
            )
            if near
            else Msg("hint.see_tags")
        )
        return UnknownTagError(raw[:50], near, hint)

    # -- papers ----------------------------------------------------------------------------

    async def random_paper(self, lang: Lang, *, tag: str | None = None) -> Embed:
        tag = (
            await self.followable_tag(tag) if tag else None
        )  # a vocabulary tag without papers yet: say so
        paper = await self.store.random_paper(tag=tag)
        if paper is None:
            raise NotFoundError(
                "paper.no_random", where=Msg("paper.tagged", {"tag": tag}) if tag else ""
            )
        return paper_embed(paper, lang)

    async def paper(self, choice: str, lang: Lang) -> Embed:
        """A paper by the id an autocomplete choice carries, an arXiv id, or a typed title that
        really matches (never an unrelated paper)."""
        title = parse_title(choice)
        if title.paper_id is not None:
            paper = await self.store.get_paper(title.paper_id)
        else:
            paper = await self.store.lookup_paper(title.text)
        if paper is None:
            raise NotFoundError("error.paper_not_found", query=choice[:100])
        return paper_embed(paper, lang)

    async def paper_by_id(self, paper_id: int, lang: Lang) -> Embed:
        paper = await self.store.get_paper(paper_id)
        if paper is None:
            raise NotFoundError("error.paper_not_found", query=str(paper_id))
        return paper_embed(paper, lang)

    async def title_choices(self, typed: str) -> list[tuple[str, str]]:
        """(label, value) pairs for /paper show's autocomplete; values are paper ids."""
        choices = await self.store.suggest_titles(typed.strip(), limit=AUTOCOMPLETE_LIMIT)
        return [(_shorten_choice(c.title), str(c.id)) for c in choices]

    async def tag_choices(self, typed: str) -> list[str]:
        return await self.store.suggest_tags(typed, limit=AUTOCOMPLETE_LIMIT)

    # -- digests and tags ------------------------------------------------------------------

    async def latest(self, lang: Lang, *, kind: DigestKind | None = None) -> Embed:
        issues = await self.store.latest_issues(kind=kind, limit=5)
        return issues_embed(issues, lang, title_key="digest.latest_title")

    async def issue_page(self, lang: Lang, page_number: int) -> tuple[Embed, int]:
        stats = await self.store.stats()
        pages = max(1, -(-sum(stats.documents.values()) // 10))
        page_number = min(max(page_number, 0), pages - 1)
        issues = await self.store.list_issues(limit=10, offset=page_number * 10)
        footer = f"{page_number + 1}/{pages}"
        return issues_embed(issues, lang, title_key="digest.list_title", footer=footer), pages

    async def tags(self, lang: Lang) -> Embed:
        return tags_embed(await self.store.tag_counts(), lang)


class NoPapersTaggedError(NotFoundError):
    """A tag of the vocabulary that no paper carries yet (``rl`` before the first RL paper)."""

    def __init__(self, tag: str) -> None:
        super().__init__("paper.no_random", where=Msg("paper.tagged", {"tag": tag}))
        self.tag = tag


class UnknownTagError(NotFoundError):
    """No such tag; ``near`` are the closest known ones (for callers that word it their way)."""

    def __init__(self, tag: str, near: list[str], hint: Msg) -> None:
        super().__init__("error.unknown_tag", tag=tag, hint=hint)
        self.tag = tag
        self.near = near


def _shorten_choice(label: str) -> str:
    return label if len(label) <= 100 else label[:99] + "…"  # Discord's choice-name limit
