"""Related papers and reading-list picks: shared tags and distinctive words.

A paper's *distinctive words* are the words of its text (titles, summaries, abstracts,
commentary) that few other papers use: tf-idf, with document frequencies read from the FTS
index's own vocabulary (``paper_search_terms``). Each word becomes a query group through
``analysis.analyse_query`` and an FTS5 expression through ``_search.match_expression``, the
very functions ``/search`` uses: whatever query analysis learns (Korean particles, English
stems, a bilingual glossary) applies to related papers and picks without a change here.

``related``: for each distinctive word, the papers it matches (one JSON array per word, a
doclist walk with no ranking); for each of the paper's tags carried by at most ``TAG_LIST_MAX``
papers, the papers carrying it. A candidate's score is the sum of the idf of the words and tags
it shares (tags weigh ``TAG_WEIGHT`` times as much); papers sharing a rare tag are candidates
too, whatever their wording; every candidate is credited with every tag it shares, common
ones included. Ties go to the newer paper; the paper itself is
never among them.

Reading-list picks (``bot.store.papers.picks``) build on the same words and tags.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from weakref import WeakKeyDictionary

import aiosqlite

from bot.digests.models import ARXIV_ID
from bot.search.related import (
    RelatedPaper,
    Term,
    at_least,
    contains,
    df_cap,
    idf,
    word_counts,
    word_weight,
)
from bot.store._rows import to_json
from bot.store.papers import _reads
from bot.store.papers._aliases import REVIEW_SQL
from bot.store.records import PaperRecord

__all__ = [
    "RelatedPaper",
    "Term",
    "distinctive_terms",
    "related",
    "tags_only_related",
]

TERMS_PER_PAPER = 5  # C(5, 3) = 10 triples: six (20) doubled the time of /paper related at 100k
CANDIDATES = 50  # best text matches, then scored with their shared tags too
RANK_MAX = 3_000  # matches ranked by bm25 at most (the newest)
TAG_WEIGHT = 3.0  # measured on the real archive (bench.search_eval.related): 0.5 -> 0.60, 3 -> 0.72
TAG_LIST_MAX = 2_000  # a tag on more papers is read for scoring only, never listed
TAG_CANDIDATES = 30  # papers sharing the most tag weight that join the candidates
TAG_MAX_SHARE = 0.2  # a tag on more of the papers says nothing (llm on an LLM archive)
# A paper the note itself links to (a review's entries, a predecessor the commentary cites)
# comes before any paper found only by words and tags (at most 1 + TAG_WEIGHT, ties included).
LINK_WEIGHT = TAG_WEIGHT + 2.0
LINKS_MAX = 200  # arXiv links read per note (a year-end review links about 60)

_BM25 = "bm25(paper_search, 10.0, 6.0, 5.0, 3.0, 1.0, 0.0)"  # the search's column weights


# -- words --------------------------------------------------------------------------------


async def _corpus_size(db: aiosqlite.Connection) -> int:
    rows = list(await db.execute_fetchall("SELECT coalesce(max(id), 0) FROM papers"))
    return max(1, int(rows[0][0]))


class _DfCache:
    """Document frequencies already read, per connection. Reading one from the index vocabulary
    walks the word's whole doclist (milliseconds for a common word), and frequencies change
    slowly: kept until the store has grown by a tenth."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.df: dict[str, int] = {}


_DF_CACHES: WeakKeyDictionary[aiosqlite.Connection, _DfCache] = WeakKeyDictionary()
DF_CACHE_MAX = 500_000


async def _doc_frequencies(db: aiosqlite.Connection, tokens: Iterable[str]) -> dict[str, int]:
    size = await _corpus_size(db)
    cache = _DF_CACHES.get(db)
    if cache is None or abs(size - cache.size) > cache.size / 10 or len(cache.df) > DF_CACHE_MAX:
        cache = _DF_CACHES[db] = _DfCache(size)
    wanted = set(tokens)
    missing = sorted(wanted - cache.df.keys())
    if missing:
        rows = await db.execute_fetchall(
            "SELECT term, doc FROM paper_search_terms"
            " WHERE term IN (SELECT value FROM json_each(?))",
            (to_json(missing),),
        )
        found = {str(row[0]): int(row[1]) for row in rows}
        for token in missing:
            cache.df[token] = found.get(token, 0)
    return {token: cache.df[token] for token in wanted}


async def distinctive_terms(
    db: aiosqlite.Connection, papers: Sequence[PaperRecord], *, limit: int | None = None
) -> list[list[Term]]:
    """For each paper, its ``limit`` most distinctive words, best first.

    Weight: idf x (1 + ln tf), tf counted with title words x3 and summary words x2, Hangul words
    x ``HANGUL_WEIGHT`` (``word_weight``). A word is
    kept if at least one other paper has it and at most ``MAX_DF_SHARE`` of all papers do (a
    phrase's frequency is estimated by its rarest token).
    """
    limit = TERMS_PER_PAPER if limit is None else limit
    counts = [word_counts(paper) for paper in papers]
    tokens = {token for found in counts for key in found for token in key}
    df = await _doc_frequencies(db, tokens)
    size = await _corpus_size(db)
    cap = df_cap(size)
    result: list[list[Term]] = []
    for found in counts:
        terms: list[Term] = []
        for key, (group, forms, tf) in found.items():
            frequency = min((df.get(token, 0) for token in key), default=0)
            if frequency < 2 or frequency > cap:
                continue
            idf = math.log(size / frequency)
            word = forms.most_common(1)[0][0]
            terms.append(Term(word, group, word_weight(word, idf, tf)))
        terms.sort(key=lambda term: (-term.weight, term.word))
        result.append(terms[:limit])
    return result


# -- related papers -----------------------------------------------------------------------


async def _tag_counts(db: aiosqlite.Connection, tags: Iterable[str]) -> dict[str, int]:
    rows = await db.execute_fetchall(
        "SELECT tag, paper_count FROM tags WHERE tag IN (SELECT value FROM json_each(?))",
        (to_json(sorted(set(tags))),),
    )
    return {str(row[0]): int(row[1]) for row in rows}


async def _ids(db: aiosqlite.Connection, sql: str, params: Sequence[object]) -> list[int]:
    rows = list(await db.execute_fetchall(sql, params))
    return [int(value) for value in json.loads(rows[0][0] or "[]")] if rows else []


async def _tags_of(db: aiosqlite.Connection, paper_ids: Iterable[int]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for row in await db.execute_fetchall(
        "SELECT paper_id, tag FROM paper_tags WHERE paper_id IN (SELECT value FROM json_each(?))",
        (to_json(sorted(set(paper_ids))),),
    ):
        found.setdefault(int(row[0]), set()).add(str(row[1]))
    return found


async def _reviews(db: aiosqlite.Connection, paper_ids: Sequence[int]) -> set[int]:
    """Which of ``paper_ids`` are reviews: notes about several papers (``Paper.review``), which
    are never a paper related to another (issue 17)."""
    if not paper_ids:
        return set()
    return {
        int(row[0])
        for row in await db.execute_fetchall(
            "SELECT p.id FROM papers AS p WHERE p.id IN (SELECT value FROM json_each(?))"
            f" AND {REVIEW_SQL}",
            (to_json(sorted(set(paper_ids))),),
        )
    }


async def _linked(db: aiosqlite.Connection, paper: PaperRecord) -> set[int]:
    """The stored papers ``paper``'s note links to by arXiv id (never itself): the papers a
    review discusses, or one the commentary compares it with. One indexed lookup."""
    found = {match.group(1) for link in paper.links if (match := ARXIV_ID.search(link.url))}
    arxiv_ids = found - {paper.arxiv_id}
    if not arxiv_ids:
        return set()
    return {
        int(row[0])
        for row in await db.execute_fetchall(
            "SELECT id FROM papers WHERE arxiv_id IN (SELECT value FROM json_each(?)) AND id <> ?",
            (to_json(sorted(arxiv_ids)[:LINKS_MAX]), paper.id),
        )
    }


async def _ranked(
    db: aiosqlite.Connection, expression: str, paper_id: int
) -> list[tuple[int, float]]:
    """The best ``CANDIDATES`` matches by bm25, as /search weighs columns, among the newest
    ``RANK_MAX`` (bm25 costs microseconds per row). One pass: FTS5 walks its matches newest
    first and stops after ``RANK_MAX``; a count first evaluated the expression twice (the
    expression of word triples is the costly part: 13 of 50 ms at 100,000 papers)."""
    ranked = await db.execute_fetchall(
        f"SELECT rowid, score FROM (SELECT rowid, {_BM25} AS score FROM paper_search"
        " WHERE paper_search MATCH ? AND rowid <> ? ORDER BY rowid DESC LIMIT ?)"
        " ORDER BY score LIMIT ?",
        (expression, paper_id, RANK_MAX, CANDIDATES),
    )
    return [(int(row[0]), -float(row[1])) for row in ranked]


async def related(db: aiosqlite.Connection, paper_id: int, limit: int = 5) -> list[RelatedPaper]:
    """Up to ``limit`` papers closest to ``paper_id`` (never itself), best first.

    Candidates come from text AND from tags. Text: papers with three, two, or one of the
    paper's distinctive words, ranked by bm25 over all of them (title words weigh most, as in
    /search). Tags: the newest papers carrying each of its tags that at most ``TAG_LIST_MAX``
    papers carry, so that a paper whose neighbours share its rare tag but little wording still
    finds them. Each candidate's score is its text score (relative to the best) plus
    ``TAG_WEIGHT`` times the share of the paper's tag weight (idf: rarer tags count more) it
    carries.
    """
    papers = await _reads.fetch_papers(db, [paper_id])
    if not papers or limit <= 0:
        return []
    paper = papers[0]
    size = await _corpus_size(db)
    (terms,) = await distinctive_terms(db, [paper])
    tag_counts = await _tag_counts(db, paper.tags)
    tag_idf = {tag: idf(size, count) for tag, count in tag_counts.items()}
    text: dict[int, float] = {}
    for shared in range(min(3, len(terms)), 0, -1):  # three words in common, then two, one
        expression = at_least(terms, shared)
        found = await _ranked(db, expression, paper_id)
        reviews = await _reviews(db, [other for other, _ in found])
        found = [(other, score) for other, score in found if other not in reviews]
        best = max((score for _, score in found), default=0.0) or 1.0
        for other, score in found:  # a paper sharing more words ranks above one sharing fewer
            text.setdefault(other, shared + score / best)
        if len(text) >= limit:
            break
    # the papers sharing the most (idf-weighted) of its listable tags
    listed = min(TAG_LIST_MAX, size * TAG_MAX_SHARE)
    by_tags: defaultdict[int, float] = defaultdict(float)
    for tag in sorted(tag_idf, key=lambda t: (tag_counts[t], t)):  # rarest first
        if tag_counts[tag] > listed:
            continue
        for other in await _ids(
            db,
            "SELECT json_group_array(paper_id) FROM (SELECT paper_id FROM paper_tags"
            " WHERE tag = ? AND paper_id <> ? ORDER BY paper_id DESC LIMIT ?)",
            (tag, paper_id, TAG_LIST_MAX),
        ):
            by_tags[other] += tag_idf[tag]
    tagged = sorted(by_tags.items(), key=lambda item: (-item[1], -item[0]))[: 2 * TAG_CANDIDATES]
    reviews = await _reviews(db, [other for other, _ in tagged])
    for other, _ in [item for item in tagged if item[0] not in reviews][:TAG_CANDIDATES]:
        text.setdefault(other, 0.0)
    linked = await _linked(db, paper)
    linked -= await _reviews(db, sorted(linked))
    for other in linked:
        text.setdefault(other, 0.0)
    text.pop(paper_id, None)
    if not text:
        return []
    best_text = max(text.values()) or 1.0  # 0 when only tags found them
    shared_tags = await _tags_of(db, text)
    tag_total = sum(tag_idf.values()) or 1.0
    tokens = await _tokens(db, text)
    ranked: list[RelatedPaper] = []
    for other, score in text.items():
        tags = sorted(shared_tags.get(other, set()) & tag_idf.keys(), key=lambda t: -tag_idf[t])
        total_score = score / best_text + TAG_WEIGHT * sum(tag_idf[t] for t in tags) / tag_total
        if other in linked:
            total_score += LINK_WEIGHT
        if total_score <= 0:
            continue
        words = tuple(t.word for t in terms if contains(t.group, tokens.get(other, "")))
        ranked.append(RelatedPaper(other, round(total_score, 4), tuple(tags), words))
    ranked.sort(key=lambda hit: (-hit.score, -hit.paper_id))
    return ranked[:limit]


async def tags_only_related(
    db: aiosqlite.Connection, paper_id: int, limit: int = 5
) -> list[RelatedPaper]:
    """The baseline: papers sharing the most (idf-weighted) tags, newest first on ties."""
    papers = await _reads.fetch_papers(db, [paper_id])
    if not papers:
        return []
    size = await _corpus_size(db)
    tag_idf = {t: idf(size, c) for t, c in (await _tag_counts(db, papers[0].tags)).items()}
    scores: defaultdict[int, float] = defaultdict(float)
    for tag, weight in tag_idf.items():
        for other in await _ids(
            db, "SELECT json_group_array(paper_id) FROM paper_tags WHERE tag = ?", (tag,)
        ):
            scores[other] += weight
    scores.pop(paper_id, None)
    best = sorted(scores.items(), key=lambda item: (-item[1], -item[0]))[:limit]
    return [RelatedPaper(pid, round(score, 4)) for pid, score in best]


async def _tokens(db: aiosqlite.Connection, paper_ids: Iterable[int]) -> dict[int, str]:
    """Each paper's indexed tokens (all columns but the filter keys), padded with spaces."""
    return {
        int(row[0]): " " + " ".join(str(value or "") for value in row[1:]) + " "
        for row in await db.execute_fetchall(
            "SELECT rowid, title, tags, summaries, body FROM paper_search"
            " WHERE rowid IN (SELECT value FROM json_each(?))",
            (to_json(sorted(set(paper_ids))),),
        )
    }
