"""Full-text search over papers: executing the plans of ``bot.search`` against FTS5.

Query analysis and MATCH expressions are pure code in ``bot.search`` (``analysis``, ``plan``,
``expand``); this module runs them, with fallbacks and filters, and reads the records.

Strategy (issue 17: recall first, precision by ranking). Function words are dropped, long
joined Korean compounds split into their words (``_segment``). Then all terms (AND); if
nothing matches, the last word may be half typed: add it as a prefix; if still nothing,
correct terms absent from the index vocabulary to a term one edit away from what was typed
(``plan.choose_correction``); if still nothing, reduce inflected Korean words to their
nouns (``relaxed``). At every step a term the glossary or the tag vocabulary knows also
matches its other forms (``bot.search.expand``), and a rare Hangul loanword the English
words that sound like it (``_bridge``), ranked after the papers that match as typed. When
all that does not fill the page, papers with some of the meaningful terms follow, ranked by
how much of the query they cover (``_partial``); nothing is returned only when no paper
shares a meaningful term.

Speed (bench/README.md, issue 17): every query is first *counted*, which is a cheap doclist
walk; bm25 ranking, the expensive part (microseconds per matching row), is bounded per query
(see ``ranked_max`` and ``_page``; partial matches rank the newest ``PARTIAL_RANKED``). Tag
and kind filters are FTS terms in the ``keys`` column, so FTS5 intersects them with the query
itself. Records are fetched for the page's ids only.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Sequence

import aiosqlite

from bot.digests.models import DigestKind
from bot.search.analysis import Alternative, QueryGroup, analyse_query, query_stem
from bot.search.expand import Expander
from bot.search.korean import segment
from bot.search.mentions import canonical_tag, kind_key, tag_key
from bot.search.phonetic import MIN_SCORE, Candidate, PhoneticBridge, is_loanword_shaped
from bot.search.plan import (
    COLUMN_WEIGHTS,
    Expressions,
    choose_correction,
    clean_text,
    correction_candidates,
    expressions,
    found_in,
    group_frequency,
    group_tokens,
    match_expression,
    needles,
    ranked_max,
)
from bot.search.stopwords import ENGLISH
from bot.store.papers import _reads
from bot.store.records import PaperRecord, SearchHit, SearchPage, SearchStrategy, TitleSuggestion

__all__ = ["TermFrequencies", "search", "suggest_titles"]

log = logging.getLogger(__name__)

MAX_LIMIT = 100
MAX_GROUPS = 24  # as analysis.analyse_query caps a query
CORRECTED_MAX = 30  # longer "words" are pasted junk: their one-edit variants are thousands
MAX_OFFSET = 10_000


_BM25 = "bm25(paper_search, 10.0, 6.0, 5.0, 3.0, 1.0, 0.0)"  # as the migration's rank


TITLE_RANKED_MAX = 3_000
_MATCH = "SELECT {what} FROM paper_search WHERE paper_search MATCH ?"
# "not in tier 1": a per-row filter, never an index (see _page)
_NOT_LISTED = "NOT rowid IN (SELECT value FROM json_each(?))"


def _ordered(ranked: str, *, limited: bool = False) -> str:
    """``ranked`` (rowid, score) best first, equal scores newest first.

    Deterministic, so pages never overlap; within a page, ``prefer`` then orders equally
    relevant papers by recency and mentions. Neither a join (to order every ranked row by a
    stored preference) nor ``round(score)`` here: the first costs a lookup per ranked row,
    the second makes SQLite compute bm25() twice per row (+50-100% on broad queries).
    """
    if limited:  # a subquery with its own LIMIT
        return f"SELECT rowid, score FROM ({ranked}) ORDER BY score, rowid DESC LIMIT ? OFFSET ?"
    return f"{ranked} ORDER BY score, rowid DESC LIMIT ? OFFSET ?"


PRIOR_EPOCH = dt.date(2000, 1, 1)


PRIOR_BONUS_DAYS = 30


def prior(paper: PaperRecord) -> int:
    """How much a paper is preferred among equally relevant hits: days from 2000 to its
    latest mention, plus a month per further mention and a month for a weekly issue (a paper
    a weekly issue picked over a stray note of the same week)."""
    dates = [m.date for m in paper.mentions if m.date is not None]
    days = (max(dates) - PRIOR_EPOCH).days if dates else 0
    weekly = any(m.kind == DigestKind.WEEKLY for m in paper.mentions)
    return max(0, days) + PRIOR_BONUS_DAYS * (max(0, len(paper.mentions) - 1) + weekly)


def prefer(hits: list[SearchHit]) -> list[SearchHit]:
    """Equally relevant hits (score equal to 3 decimals) by ``prior``; never across scores."""
    return sorted(hits, key=lambda hit: (-round(hit.score, 3), -prior(hit.paper)))


async def _count(db: aiosqlite.Connection, expression: str) -> int:
    """Matches without ranking: a doclist walk, a few ms even for 80,000 matches."""
    rows = list(await db.execute_fetchall(_MATCH.format(what="count(*)"), (expression,)))
    return int(rows[0][0])


async def _page(
    db: aiosqlite.Connection,
    planned: Expressions,
    total: int,
    cap: int,
    limit: int,
    offset: int,
) -> list[tuple[int, float]]:
    """One page of ``(paper id, score)`` in a fixed order over all ``total`` matches.

    bm25 costs microseconds per matching row (tens for phrases) and a common word (``model``,
    ``하는``) matches most of 100,000 papers: ranking them all would take hundreds of
    milliseconds. So with at most ``cap`` matches, all are ranked by bm25. Otherwise the order
    is three tiers, each read in one pass that FTS5 can stop early:

    1. papers matching in titles, authors, tags or summaries, where a match weighs most (the
       newest ``cap`` of them), by bm25 over those columns;
    2. the newest other matches, up to ``cap`` ranked papers in all, by bm25;
    3. every other match, newest first (score 0).

    The order depends only on the data, so pages never overlap or skip; ``total`` is exact.

    Two SQLite details matter. ``bm25()`` rather than the ``rank`` column: with a filter FTS5
    cannot apply itself, ``ORDER BY rank`` ranks every match before filtering, ``bm25()`` only
    the rows that pass. And ``rowid IN (list)`` next to MATCH must stay under ``NOT``: as a
    plain AND term SQLite re-runs the whole MATCH once per listed rowid.
    """
    full, heads = planned.full, planned.heads
    ranked = _MATCH.format(what=f"rowid, {_BM25} AS score")
    if total <= cap:
        rows = await db.execute_fetchall(_ordered(ranked), (full, limit, offset))
        return [(int(row[0]), -float(row[1])) for row in rows]
    page: list[tuple[int, float]] = []
    # Tier 1, as one JSON array (thousands of rows are slow to fetch one by one).
    found = list(
        await db.execute_fetchall(
            "SELECT count(*), min(rowid), json_group_array(rowid) FROM ("
            + _MATCH.format(what="rowid")
            + " ORDER BY rowid DESC LIMIT ?)",
            (heads, cap),
        )
    )
    first, oldest_first, first_json = int(found[0][0]), found[0][1] or 0, str(found[0][2])
    if offset < first:
        rows = await db.execute_fetchall(
            _ordered(f"{ranked} AND rowid >= ?"), (heads, oldest_first, limit, offset)
        )
        page = [(int(row[0]), -float(row[1])) for row in rows]
    # Tier 2: the newest matches outside tier 1, ranked among themselves.
    window = max(0, min(cap - first, total - first))
    if len(page) < limit and offset + len(page) < first + window:
        rows = await db.execute_fetchall(
            _ordered(f"{ranked} AND {_NOT_LISTED} ORDER BY rowid DESC LIMIT ?", limited=True),
            (full, first_json, window, limit - len(page), max(0, offset - first)),
        )
        page.extend((int(row[0]), -float(row[1])) for row in rows)
    # Tier 3: the rest, newest first.
    if len(page) < limit and offset + len(page) < total:
        skip = max(0, offset - first - window)
        rows = await db.execute_fetchall(
            _MATCH.format(what="rowid")
            + f" AND {_NOT_LISTED} ORDER BY rowid DESC LIMIT ? OFFSET ?",
            (full, first_json, limit - len(page), window + skip),
        )
        page.extend((int(row[0]), 0.0) for row in rows)
    return page


async def _run(
    db: aiosqlite.Connection,
    groups: Sequence[QueryGroup],
    operator: str,
    keys: Sequence[str],
    limit: int,
    offset: int,
) -> tuple[list[tuple[int, float]], int]:
    """Count, then fetch one page; nothing is ranked when nothing matches."""
    planned = expressions(groups, operator, keys)
    total = await _count(db, planned.full)
    if total == 0 or limit == 0:
        return [], total
    cap = ranked_max(groups, len(keys))
    return await _page(db, planned, total, cap, limit, offset), total


async def _run_expanded(
    db: aiosqlite.Connection,
    groups: Sequence[QueryGroup],
    expander: Expander | None,
    frequencies: TermFrequencies,
    keys: Sequence[str],
    limit: int,
    offset: int,
    bridge: _LazyBridge | None = None,
) -> tuple[list[tuple[int, float]], int]:
    """Like ``_run`` (AND), with glossary expansion: the papers the typed words find, ranked,
    then the papers found only through the expansion, ranked among themselves. Two tiers
    rather than one ranking so that an English title found through ``환각`` never outranks
    the Korean text that says 환각.

    The expansion is a recall aid, and it costs (each form is a phrase FTS5 must match):
    when the typed words already find EXPAND_BELOW papers, nobody pages past them to the
    expansion's, and it is skipped. So is the phonetic bridge (``_bridge``) when they find
    ``BRIDGE_BELOW``.
    """
    page, first = await _run(db, groups, "AND", keys, limit, offset)
    if (expander is None and bridge is None) or first >= EXPAND_BELOW:
        return page, first
    bridged = await bridge(groups) if bridge is not None and first < BRIDGE_BELOW else None
    base = bridged if bridged is not None else groups
    wide = expander.expand(base) if expander is not None else None
    if wide is None and bridged is not None:
        wide = list(bridged)
    if wide is not None:
        frequent = await frequencies.frequent(db, Expander.added(wide, groups))
        wide = Expander.prune(wide, groups, frequent)
    if wide is None:
        return page, first
    extra = expressions(wide, "AND", keys, exclude=groups)
    rest = await _count(db, extra.full)
    if rest and len(page) < limit:
        cap = ranked_max(wide, len(keys))
        more = await _page(db, extra, rest, cap, limit - len(page), max(0, offset - first))
        # Below every typed-word match (scores >= 0), in the same order: scores stay sorted.
        page += [(paper_id, -1.0 / (1.0 + score)) for paper_id, score in more]
    return page, first + rest


EXPAND_BELOW = 1_000
EXPANSION_MAX_SHARE = 0.05
EXPANSION_MIN_DOCS = 2_000
"""An expansion made only of terms in more than EXPANSION_MAX_SHARE of the papers (and more
than EXPANSION_MIN_DOCS: small stores are fast anyway) is dropped (``Expander.prune``)."""


class TermFrequencies:
    """Document frequencies of index terms, cached per store.

    Reading one from the FTS vocabulary costs up to milliseconds (a common term's doclist is
    walked) and frequencies change only with an ingest, so they are cached until the store's
    next ingest (``clear``) or for ``ttl`` seconds (another process may ingest). ``frequent``
    says which expansion tokens are too frequent to expand to; ``docs`` serves the partial
    matches' weights, compound segmentation and the phonetic bridge. Also holds the phonetic
    bridge built from the title vocabulary (rebuilt after ``ttl``).
    """

    def __init__(self, ttl: float = 600.0, limit: int = 20_000) -> None:
        self._ttl, self._limit = ttl, limit
        self._docs: dict[str, int] = {}
        self._size: int | None = None
        self._too_many: float | None = None
        self._since = time.monotonic()
        self.bridge: PhoneticBridge | None = None
        self.text_bridge: PhoneticBridge | None = None
        self._bridge_since = 0.0
        self._bridge_size = 0

    def clear(self) -> None:
        self._docs.clear()
        self._too_many = None
        self._size = None
        self._since = time.monotonic()

    def _expire(self) -> None:
        if time.monotonic() - self._since > self._ttl or len(self._docs) > self._limit:
            self.clear()

    async def size(self, db: aiosqlite.Connection) -> int:
        """Papers in the store (the highest paper id: cheap, and close enough)."""
        self._expire()
        if self._size is None:
            rows = list(await db.execute_fetchall("SELECT max(rowid) FROM paper_search"))
            self._size = max(1, int(rows[0][0] or 0))
        return self._size

    async def docs(self, db: aiosqlite.Connection, tokens: set[str]) -> dict[str, int]:
        """Papers containing each token (0 for a token not indexed)."""
        self._expire()
        missing = sorted(tokens.difference(self._docs))
        if missing:
            self._docs.update(dict.fromkeys(missing, 0))
            for row in await db.execute_fetchall(
                "SELECT term, doc FROM paper_search_terms"
                " WHERE term IN (SELECT value FROM json_each(?))",
                (json.dumps(missing, ensure_ascii=False),),
            ):
                self._docs[str(row[0])] = int(row[1])
        return {token: self._docs.get(token, 0) for token in tokens}

    async def frequent(self, db: aiosqlite.Connection, tokens: set[str]) -> set[str]:
        if not tokens:
            return set()
        if self._too_many is None:
            size = await self.size(db)
            self._too_many = max(EXPANSION_MIN_DOCS, EXPANSION_MAX_SHARE * size)
        docs = await self.docs(db, tokens)
        return {token for token in tokens if docs[token] > self._too_many}

    async def phonetic(self, db: aiosqlite.Connection) -> tuple[PhoneticBridge, PhoneticBridge]:
        """The bridges from Hangul loanwords to English words, built on first use from the
        title index's tokens (names of models and methods are title words, stemmed and as
        written) and from the text of the newest ``BRIDGE_SAMPLE`` papers (names only
        commentary uses). Reading the whole index vocabulary would take seconds at 100,000
        papers."""
        size = await self.size(db)
        if (
            self.bridge is None
            or time.monotonic() - self._bridge_since > BRIDGE_TTL
            or size > self._bridge_size * 1.1
        ):
            terms: Counter[str] = Counter()
            for (title,) in await db.execute_fetchall(_TITLES):
                if title:
                    terms.update(set(_TITLE_WORD_RE.findall(str(title).casefold())))
            # names the commentary uses but titles do not (Chinchilla, MuZero, DINO): the
            # Latin words of the newest papers' text, a bounded read
            sampled: Counter[str] = Counter()
            for (text,) in await db.execute_fetchall(_NEWEST_TEXT, (BRIDGE_SAMPLE,)):
                sampled.update(set(_TITLE_WORD_RE.findall(str(text or ""))))
            for word in ENGLISH.intersection(terms):
                del terms[word]  # 블룸 is bloom, never from
            self.bridge = PhoneticBridge(terms, size)
            self.text_bridge = PhoneticBridge(
                {t: n for t, n in sampled.items() if n >= 2 and t not in terms}, size
            )
            self._bridge_since, self._bridge_size = time.monotonic(), size
        assert self.text_bridge is not None
        return self.bridge, self.text_bridge


_TITLE_WORD_RE = re.compile("[a-z]{3,}")
BRIDGE_SAMPLE = 5_000
_NEWEST_TEXT = (
    "SELECT summaries || ' ' || body FROM paper_search WHERE rowid >="
    " (SELECT coalesce(max(rowid), 0) FROM paper_search) - ?"
)
# the title index's tokens: each paper's title words, stemmed and as written
_TITLES = "SELECT title FROM title_search"
BRIDGE_TTL = 86_400.0
"""The bridge is rebuilt a day after it was built, or once the store grew by a tenth: about
1.7 s of CPU at 100,000 papers, paid by the first query that needs it."""


async def _corrections(
    db: aiosqlite.Connection, groups: list[QueryGroup]
) -> tuple[list[QueryGroup], dict[str, str]]:
    """Replace words missing from the index by their best indexed neighbour.

    All candidates of all words are looked up in the FTS vocabulary in one query: a B-tree
    probe each, independent of the number of papers. Lower tier wins, then the term in more
    papers.
    """
    words = {
        group: first.tokens[0]
        for group in groups
        if group.word
        and len(group.word) <= CORRECTED_MAX
        and isinstance(first := group.alternatives[0], Alternative)
    }
    if not words:
        return groups, {}
    present = {
        row[0]
        for row in await db.execute_fetchall(
            "SELECT term FROM paper_search_terms WHERE term IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(words.values())), ensure_ascii=False),),
        )
    }
    options = {
        group: correction_candidates(group.word, term)
        for group, term in words.items()
        if term not in present and group.word is not None
    }
    if not options:
        return groups, {}
    candidates = sorted({term for choices in options.values() for term in choices})
    frequency = {
        row[0]: int(row[1])
        for row in await db.execute_fetchall(
            "SELECT term, doc FROM paper_search_terms"
            " WHERE term IN (SELECT value FROM json_each(?))",
            (json.dumps(candidates, ensure_ascii=False),),
        )
    }
    corrected: list[QueryGroup] = []
    corrections: dict[str, str] = {}
    for group in groups:
        choices = options.get(group, {})
        best = choose_correction(group.word, choices, frequency) if group.word else None
        if best is not None and group.word is not None:
            corrected.append(QueryGroup((Alternative((best,)),), key=(best,)))
            corrections[group.word] = choices[best][1]
        else:
            corrected.append(group)
    return corrected, corrections


async def _segment(
    db: aiosqlite.Connection, groups: list[QueryGroup], frequencies: TermFrequencies
) -> list[QueryGroup]:
    """Long joined Korean compounds split into their words, as a spaced query would be: the
    split the index's own bigram statistics make likeliest (``korean.segment``)."""
    if not any(group.compound for group in groups):
        return groups
    grams = {
        group.compound[i : i + 2]
        for group in groups
        if group.compound
        for i in range(len(group.compound) - 1)
    }
    docs = await frequencies.docs(db, grams)
    size = await frequencies.size(db)
    out: list[QueryGroup] = []
    for group in groups:
        if not group.compound:
            out.append(group)
            continue
        parts = segment(group.compound, lambda gram: docs.get(gram, 0), size)
        split = [g for g in analyse_query(" ".join(parts), prefix_min=10_000) if not g.stop]
        out.extend(split if len(split) >= 2 else [group])
    return list(dict.fromkeys(out))[:MAX_GROUPS]  # a pasted sentence stays a bounded query


BRIDGE_RARE_SHARE = 0.01  # a Hangul word in fewer papers than this share is "rare"
BRIDGE_RARE_MIN = 20
BRIDGE_TERMS = 2
BRIDGE_BELOW = 50  # typed words finding this many papers need no phonetic bridge


class _LazyBridge:
    """``_bridge`` of a query's groups, computed when first needed, once per groups."""

    def __init__(self, db: aiosqlite.Connection, frequencies: TermFrequencies) -> None:
        self._db, self._frequencies = db, frequencies
        self._done: dict[tuple[QueryGroup, ...], list[QueryGroup] | None] = {}

    async def __call__(self, groups: Sequence[QueryGroup]) -> list[QueryGroup] | None:
        key = tuple(groups)
        if key not in self._done:
            self._done[key] = await _bridge(self._db, list(groups), self._frequencies)
        return self._done[key]


BRIDGE_COUNT_BELOW = 20  # a phrase estimated in more papers than 20x "rare" is not counted
# The phonetic bench's threshold (phonetic.MIN_SCORE, 0.68) is for proposing a word anywhere;
# here a proposal only joins the expansion tier, after what the typed Korean finds, of a word
# the index barely knows, and function words are out of the vocabulary: 하이에나 -> hyena,
# 블룸 -> bloom and 블립 -> blip score 0.6796 (bench.search_eval.run, translit).
BRIDGE_MIN_SCORE = MIN_SCORE - 0.01


async def _bridge(
    db: aiosqlite.Connection, groups: list[QueryGroup], frequencies: TermFrequencies
) -> list[QueryGroup] | None:
    """``groups`` where Hangul loanwords the index barely knows (``라마``, ``미스트랄``) also
    match the English words that sound like them (``llama``, ``mistral``:
    ``bot.search.phonetic``), or None if there is none. Like a glossary expansion, what only
    the bridge finds ranks after what the typed words find."""
    loanwords = [
        group
        for group in groups
        if group.hangul is not None
        and 2 <= len(group.hangul) <= 8
        and is_loanword_shaped(group.hangul)
    ]
    if not loanwords:
        return None
    size = await frequencies.size(db)
    rare = max(BRIDGE_RARE_MIN, BRIDGE_RARE_SHARE * size)
    docs = await frequencies.docs(db, {t for group in loanwords for t in group_tokens(group)})
    wanted: list[QueryGroup] = []
    for group in loanwords:
        # Tokens' frequencies bound the group's from above, exactly for a one-token word (모델);
        # a phrase of common bigrams may still be rare (알파코드): counted, if plausible.
        estimate = group_frequency(group, docs)
        single = any(
            isinstance(alt, Alternative) and len(alt.tokens) == 1 for alt in group.alternatives
        )
        if estimate < rare or (
            not single
            and estimate < BRIDGE_COUNT_BELOW * rare
            and await _count(db, match_expression([group])) < rare
        ):
            wanted.append(group)
    if not wanted:
        return None
    titles, texts = await frequencies.phonetic(db)
    out: list[QueryGroup] = []
    changed = False
    for group in groups:
        if group not in wanted or group.hangul is None:
            out.append(group)
            continue
        words = dict.fromkeys((group.hangul, *(k for k in group.key[:1] if _is_hangul(k))))
        found: list[Candidate] = []
        for bridge in (titles, texts):  # title words first: names of models and methods
            found = sorted(
                (c for word in words for c in bridge.candidates(word, limit=BRIDGE_TERMS)),
                key=lambda c: -c.score,
            )
            if found and found[0].score >= BRIDGE_MIN_SCORE:
                break
        extra: dict[Alternative, None] = {}
        for candidate in found:
            if candidate.score >= BRIDGE_MIN_SCORE and len(extra) < 2 * BRIDGE_TERMS:
                for term in dict.fromkeys((query_stem(candidate.term), candidate.term)):
                    extra[Alternative((term, *group.tail))] = None
        if not extra:
            out.append(group)
            continue
        changed = True
        alternatives = tuple(dict.fromkeys((*group.alternatives, *extra)))
        out.append(
            QueryGroup(
                alternatives,
                group.word,
                group.completion,
                group.relaxed,
                group.key,
                hangul=group.hangul,
            )
        )
    return out if changed else None


def _is_hangul(word: str) -> bool:
    return bool(word) and all("\uac00" <= char <= "\ud7a3" for char in word)


PARTIAL_MAX = 60
PARTIAL_RANKED = 1000  # OR matches ranked by bm25 at most (the newest)
PARTIAL_ALTERNATIVES = 6
PARTIAL_COMMON_SHARE = 0.05  # terms in more papers than this do not retrieve partial matches
PARTIAL_COMMON_MIN = 2_000  # (small stores are fast anyway)
"""Papers matching some but not all of the query: the best this many by bm25 are ranked by how
much of the query they cover."""


async def _partial(
    db: aiosqlite.Connection,
    groups: Sequence[QueryGroup],
    frequencies: TermFrequencies,
    keys: Sequence[str],
    limit: int,
    offset: int,
) -> tuple[list[tuple[int, float]], int]:
    """Papers sharing some of the query's meaningful terms, after those sharing all of them.

    Retrieval is any term (OR, minus the papers matching all terms, which rank above); the
    best ``PARTIAL_MAX`` by bm25 are then ranked by *coverage*: the share of the query's
    terms they contain, each weighted by its idf and by the column it is found in (title over
    tags over summaries over commentary), so a paper with most of the query ranks high and one
    with a single common word low. Scores fall in (-3, -2): below every full match.
    """
    if len(groups) < 2:
        return [], 0
    # A concept's many forms make every row's match costly: the typed forms and a few others.
    groups = [
        group
        if len(group.alternatives) <= PARTIAL_ALTERNATIVES
        else QueryGroup(group.alternatives[:PARTIAL_ALTERNATIVES], group.word, key=group.key)
        for group in groups
    ]
    docs = await frequencies.docs(db, {t for group in groups for t in group_tokens(group)})
    size = await frequencies.size(db)
    weights = [
        math.log(1.0 + size / frequency) if (frequency := group_frequency(g, docs)) else 0.0
        for g in groups
    ]
    present = [group for group, weight in zip(groups, weights, strict=True) if weight > 0]
    if not present:
        return [], 0
    # Retrieval by a common word alone would rank last anyway and costs most (its doclist):
    # retrieve by the rarer terms (the rarest if all are common), score by all of them.
    common = max(PARTIAL_COMMON_MIN, PARTIAL_COMMON_SHARE * size)
    rarer = [group for group in present if group_frequency(group, docs) <= common]
    present = rarer or [min(present, key=lambda group: group_frequency(group, docs))]
    planned = expressions(present, "OR", keys, exclude=groups)
    # One pass, no count: bm25 (titles weigh most) over the newest PARTIAL_RANKED matches.
    rows = await db.execute_fetchall(
        f"SELECT rowid, score FROM (SELECT rowid, {_BM25} AS score FROM paper_search"
        " WHERE paper_search MATCH ? ORDER BY rowid DESC LIMIT ?) ORDER BY score LIMIT ?",
        (planned.full, PARTIAL_RANKED, PARTIAL_MAX),
    )
    ranked = [(int(row[0]), -float(row[1])) for row in rows]
    if not ranked:
        return [], 0
    columns = await _columns(db, [paper_id for paper_id, _ in ranked])
    whole = sum(weights)
    matchers = [(needles(g), w) for g, w in zip(groups, weights, strict=True) if w > 0]
    best = max((score for _, score in ranked), default=0.0) or 1.0
    scored: list[tuple[int, float]] = []
    for paper_id, bm25 in ranked:
        texts = columns.get(paper_id)
        if texts is None:
            continue
        covered = 0.0
        for wanted, weight in matchers:
            for column, text in zip(COLUMN_WEIGHTS, texts, strict=True):  # heaviest first
                if found_in(wanted, text):
                    covered += weight * column
                    break
        if covered <= 0:
            continue
        score = covered / whole + 0.1 * max(0.0, bm25) / best
        scored.append((paper_id, round(score, 6)))
    scored.sort(key=lambda item: (-item[1], -item[0]))
    page = [(paper_id, score / 2.0 - 3.0) for paper_id, score in scored[offset : offset + limit]]
    return page, len(scored)


async def _columns(db: aiosqlite.Connection, paper_ids: Sequence[int]) -> dict[int, list[str]]:
    """Each paper's index tokens per weighted column, space-padded."""
    if not paper_ids:
        return {}
    return {
        int(row[0]): [f" {value or ''} " for value in row[1:]]
        for row in await db.execute_fetchall(
            "SELECT rowid, title, authors, tags, summaries, body FROM paper_search"
            " WHERE rowid IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(paper_ids))),),
        )
    }


async def search(
    db: aiosqlite.Connection,
    query: str,
    *,
    tag: str | None = None,
    kind: DigestKind | None = None,
    limit: int = 10,
    offset: int = 0,
    expander: Expander | None = None,
    frequencies: TermFrequencies | None = None,
) -> SearchPage:
    query = clean_text(query)
    frequencies = frequencies if frequencies is not None else TermFrequencies()
    limit = max(0, min(limit, MAX_LIMIT))
    offset = max(0, min(offset, MAX_OFFSET))
    keys: list[str] = []
    if tag is not None:
        keys.append(tag_key(canonical_tag(clean_text(tag))))
    if kind is not None:
        keys.append(kind_key(DigestKind(kind).value))
    # function words (없이, without) are never required: a paper is not about them (a query
    # of nothing else is searched as typed, all words required)
    typed = analyse_query(query)
    groups = [group for group in typed if not group.stop] or typed
    empty = SearchPage(query=query, total=0, offset=offset, limit=limit, strategy="none")
    if not groups:
        return empty
    strategy: SearchStrategy = "all"
    corrections: dict[str, str] = {}
    try:
        groups = await _segment(db, groups, frequencies)
        bridge = _LazyBridge(db, frequencies)
        current = groups
        page, total = await _run_expanded(
            db, groups, expander, frequencies, keys, limit, offset, bridge
        )
        if total == 0 and any(group.completion for group in groups):
            current = groups = [group.completed() for group in groups]  # half typed
            page, total = await _run_expanded(
                db, groups, expander, frequencies, keys, limit, offset, bridge
            )
        if total == 0:
            corrected, corrections = await _corrections(db, groups)
            if corrections:
                strategy, current = "corrected", corrected
                page, total = await _run_expanded(
                    db, corrected, expander, frequencies, keys, limit, offset
                )
            if total == 0 and any(group.relaxed for group in corrected):
                strategy = "relaxed"
                current = [group.relax() for group in corrected]
                page, total = await _run_expanded(
                    db, current, expander, frequencies, keys, limit, offset
                )
        if total < offset + limit and not groups[0].stop:
            # Recall first: papers with some of the terms, ranked by how much they cover.
            base = (await bridge(current) if total < BRIDGE_BELOW else None) or current
            wide = expander.expand(base) if expander is not None else None
            more, rest = await _partial(
                db,
                wide or base,
                frequencies,
                keys,
                max(0, offset + limit - max(total, offset)),
                max(0, offset - total),
            )
            if rest and total == 0:
                strategy = "any"
            page, total = page + more, total + rest
        if total == 0:
            strategy, corrections = "all", {}
    except sqlite3.OperationalError as exc:
        if "fts5" not in str(exc):
            raise
        # Cannot happen by construction (see module docstring); never let it reach a user.
        log.exception("search for %r produced a bad MATCH expression", query)
        return empty
    page = page[:limit]
    papers = {paper.id: paper for paper in await _reads.fetch_papers(db, [i for i, _ in page])}
    hits = prefer([SearchHit(paper=papers[i], score=score) for i, score in page if i in papers])
    return SearchPage(
        query=query,
        total=total,
        hits=hits,
        offset=offset,
        limit=limit,
        strategy=strategy,
        corrections=corrections,
    )


async def suggest_titles(db: aiosqlite.Connection, text: str, limit: int) -> list[TitleSuggestion]:
    """Autocomplete: papers whose *title* matches what was typed so far, best first.

    Uses ``title_search`` (titles only, with prefix indexes), so even a one-letter last word
    is a cheap prefix lookup.
    """
    limit = max(0, min(limit, MAX_LIMIT))
    groups = [group.completed() for group in analyse_query(clean_text(text), prefix_min=1)]
    if not groups:
        return await _reads.latest_titles(db, limit)
    expression = match_expression(groups)
    try:
        # One typed letter matches most titles: rank the newest TITLE_RANKED_MAX at most.
        newest = list(
            await db.execute_fetchall(
                "SELECT rowid FROM title_search WHERE title_search MATCH ?"
                " ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                (expression, TITLE_RANKED_MAX - 1),
            )
        )
        rows = await db.execute_fetchall(
            f"SELECT p.id, {_reads.TITLE} FROM (SELECT rowid AS id, rank"
            " FROM title_search WHERE title_search MATCH ? AND rowid >= ?"
            " ORDER BY rank LIMIT ?) AS h JOIN papers AS p ON p.id = h.id"
            f"{_reads.FIRST_MENTION} ORDER BY h.rank",
            (expression, int(newest[0][0]) if newest else 0, limit),
        )
    except sqlite3.OperationalError as exc:
        if "fts5" not in str(exc):
            raise
        log.exception("title suggestions for %r produced a bad MATCH expression", text)
        return []
    return [TitleSuggestion(id=row[0], title=row[1]) for row in rows]
