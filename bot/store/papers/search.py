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
import sqlite3
from collections.abc import Sequence

import aiosqlite

from bot.digests.models import DigestKind
from bot.search.analysis import Alternative, QueryGroup, analyse_query
from bot.search.expand import Expander
from bot.search.mentions import canonical_tag, kind_key, tag_key
from bot.search.plan import (
    Expressions,
    added_count,
    choose_correction,
    clean_text,
    correction_candidates,
    expressions,
    match_expression,
    ranked_max,
)
from bot.store.papers import _reads
from bot.store.papers._recall import BM25 as _BM25
from bot.store.papers._recall import BRIDGE_BELOW, TermFrequencies
from bot.store.papers._recall import LazyBridge as _LazyBridge
from bot.store.papers._recall import count as _count
from bot.store.papers._recall import partial as _partial
from bot.store.papers._recall import segment_compounds as _segment
from bot.store.records import PaperRecord, SearchHit, SearchPage, SearchStrategy, TitleSuggestion

__all__ = ["TermFrequencies", "search", "suggest_titles"]

log = logging.getLogger(__name__)

MAX_LIMIT = 100
CORRECTED_MAX = 30  # longer "words" are pasted junk: their one-edit variants are thousands
MAX_OFFSET = 10_000


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
       newest ``cap`` of them), by bm25 over those columns, ranked in the pass that finds
       them (a page they fill costs no other statement: bm25's idf pass reads each phrase's
       whole doclist, 2-4 ms at 100,000 papers, once per statement);
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
    if offset < cap:
        # Tier 1 ranked in the pass that finds it (its newest ``cap`` matches): a page it
        # fills needs nothing else (the common case), not even tier 1's size.
        rows = await db.execute_fetchall(
            _ordered(f"{ranked} ORDER BY rowid DESC LIMIT ?", limited=True),
            (heads, cap, limit, offset),
        )
        page = [(int(row[0]), -float(row[1])) for row in rows]
        if len(page) >= limit:
            return page
    if offset == 0 and len(page) < limit:  # the page holds all of tier 1
        first, first_json = len(page), json.dumps(sorted(i for i, _ in page))
    else:
        # Tier 1, as one JSON array (thousands of rows are slow to fetch one by one), to
        # leave out of tiers 2 and 3.
        found = list(
            await db.execute_fetchall(
                "SELECT count(*), json_group_array(rowid) FROM ("
                + _MATCH.format(what="rowid")
                + " ORDER BY rowid DESC LIMIT ?)",
                (heads, cap),
            )
        )
        first, first_json = int(found[0][0]), str(found[0][1])
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
    # The expansion only adds alternatives: its matches are a superset of the typed words'
    # (``first``). Not (wide) NOT (typed), which walks the typed words' doclists twice.
    counted, exact = added_count(wide, groups, keys)
    rest = await _count(db, counted)
    rest = rest if exact else max(0, rest - first)
    extra = expressions(wide, "AND", keys, exclude=groups)
    if rest and len(page) < limit:
        cap = ranked_max(wide, len(keys))
        more = await _page(db, extra, rest, cap, limit - len(page), max(0, offset - first))
        # Below every typed-word match (scores >= 0), in the same order: scores stay sorted.
        page += [(paper_id, -1.0 / (1.0 + score)) for paper_id, score in more]
    return page, first + rest


EXPAND_BELOW = 1_000


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
