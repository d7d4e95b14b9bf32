"""What search adds when the typed words find too little (issue 17), and what it reads to decide.

- ``TermFrequencies``: document frequencies of index terms and the phonetic bridges, cached
  per store (cleared by an ingest);
- ``_segment``: long joined Korean compounds split into their words by the index's bigram
  statistics (``korean.segment``);
- ``_bridge``: rare Hangul loanwords also matching the English words that sound like them
  (``bot.search.phonetic``), in the expansion tier;
- ``_partial``: papers with some of the meaningful terms, ranked by how much of the query they
  cover, after every paper with all of them.

``bot.store.papers.search`` runs them in its strategy; this module holds no strategy.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import time
from collections import Counter
from collections.abc import Sequence

import aiosqlite

from bot.search.analysis import Alternative, QueryGroup, analyse_query, query_stem
from bot.search.korean import segment
from bot.search.phonetic import MIN_SCORE, Candidate, PhoneticBridge, is_loanword_shaped
from bot.search.plan import (
    COLUMN_WEIGHTS,
    expressions,
    found_in,
    group_frequency,
    group_tokens,
    match_expression,
    needles,
)
from bot.search.stopwords import ENGLISH

__all__ = [
    "BM25",
    "BRIDGE_BELOW",
    "MAX_GROUPS",
    "LazyBridge",
    "TermFrequencies",
    "count",
    "partial",
    "segment_compounds",
]

BM25 = "bm25(paper_search, 10.0, 6.0, 5.0, 3.0, 1.0, 0.0)"  # as the migration's rank
MAX_GROUPS = 24  # as analysis.analyse_query caps a query


async def count(db: aiosqlite.Connection, expression: str) -> int:
    """Matches without ranking: a doclist walk, a few ms even for 80,000 matches."""
    rows = list(
        await db.execute_fetchall(
            "SELECT count(*) FROM paper_search WHERE paper_search MATCH ?", (expression,)
        )
    )
    return int(rows[0][0])


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
        self._bridge_lock = asyncio.Lock()

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

    def _bridge_stale(self, size: int) -> bool:
        return (
            self.bridge is None
            or time.monotonic() - self._bridge_since > BRIDGE_TTL
            or size > self._bridge_size * 1.1
        )

    async def phonetic(self, db: aiosqlite.Connection) -> tuple[PhoneticBridge, PhoneticBridge]:
        """The bridges from Hangul loanwords to English words, built on first use from the
        title index's tokens (names of models and methods are title words, stemmed and as
        written) and from the text of the newest ``BRIDGE_SAMPLE`` papers (names only
        commentary uses). Reading the whole index vocabulary would take seconds at 100,000
        papers."""
        size = await self.size(db)
        if self._bridge_stale(size):
            async with self._bridge_lock:  # one build at a time; the others wait for it
                if self._bridge_stale(size):
                    titles = [str(row[0]) for row in await db.execute_fetchall(_TITLES) if row[0]]
                    texts = [
                        str(row[0] or "")
                        for row in await db.execute_fetchall(_NEWEST_TEXT, (BRIDGE_SAMPLE,))
                    ]
                    # about 1.7 s of CPU at 100,000 papers: not on the bot's event loop
                    self.bridge, self.text_bridge = await asyncio.to_thread(
                        _build_bridges, titles, texts, size
                    )
                    self._bridge_since, self._bridge_size = time.monotonic(), size
        assert self.bridge is not None
        assert self.text_bridge is not None
        return self.bridge, self.text_bridge


_TITLE_WORD_RE = re.compile("[a-z]{3,}")


def _build_bridges(
    titles: list[str], texts: list[str], size: int
) -> tuple[PhoneticBridge, PhoneticBridge]:
    """The title words' bridge, and one for the Latin words of the newest papers' text that
    no title has (names only commentary uses: Chinchilla, MuZero, DINO)."""
    terms: Counter[str] = Counter()
    for title in titles:
        terms.update(set(_TITLE_WORD_RE.findall(title.casefold())))
    sampled: Counter[str] = Counter()
    for text in texts:
        sampled.update(set(_TITLE_WORD_RE.findall(text)))
    for word in ENGLISH.intersection(terms):
        del terms[word]  # 블룸 is bloom, never from
    text_terms = {term: n for term, n in sampled.items() if n >= 2 and term not in terms}
    return PhoneticBridge(terms, size), PhoneticBridge(text_terms, size)


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


def _unknown_loanword(part: str, docs: dict[str, int], rare: float) -> bool:
    grams = [part[i : i + 2] for i in range(len(part) - 1)]
    return (
        len(part) >= SOUND_SPLIT_MIN
        and is_loanword_shaped(part)
        and min((docs.get(gram, 0) for gram in grams), default=0) < rare
    )


SOUND_SPLIT_MIN = 4  # syllables: shorter parts are one word anyway


def _by_sound(part: str, bridges: tuple[PhoneticBridge, PhoneticBridge]) -> tuple[list[str], int]:
    """``part`` split into pieces of 2 to ``SOUND_PIECE_MAX`` syllables that sound like English
    words, covering as many syllables as possible (dynamic programming over every split
    point); ``part`` whole if it sounds like one word itself or no piece does. Also the
    syllables covered by pieces that sound."""
    size = len(part)
    if size > SOUND_SPLIT_MAX:
        return [part], 0
    heard: dict[str, float] = {}

    def sounds(piece: str) -> float:
        if piece not in heard:
            best = max(
                (c.score for bridge in bridges for c in bridge.candidates(piece, limit=1)),
                default=0.0,
            )
            heard[piece] = best if best >= BRIDGE_MIN_SCORE else 0.0
        return heard[piece]

    if sounds(part):
        return [part], size
    # best[end]: (syllables covered by pieces that sound, their scores, start of last piece)
    best: list[tuple[int, float, int]] = [(0, 0.0, 0)] + [(-1, 0.0, 0)] * size
    for end in range(2, size + 1):
        for start in range(max(0, end - SOUND_PIECE_MAX), end - 1):
            if best[start][0] < 0:
                continue
            score = sounds(part[start:end])
            found = (best[start][0] + (end - start if score else 0), best[start][1] + score, start)
            if found[:2] > best[end][:2]:
                best[end] = found
    if best[size][0] <= 0:
        return [part], 0
    pieces: list[str] = []
    end = size
    while end > 0:
        pieces.append(part[best[end][2] : end])
        end = best[end][2]
    return pieces[::-1], best[size][0]


SOUND_SPLIT_MAX = 16  # syllables: longer runs are pasted text
SOUND_COVERED = 0.6  # share of a compound's syllables its sounding pieces must cover
SOUND_PIECE_MAX = 7


async def segment_compounds(
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
        rare = max(BRIDGE_RARE_MIN, BRIDGE_RARE_SHARE * size)
        if _unknown_loanword(group.compound, docs, rare):
            # The index has no statistics for a loanword compound it never saw written in
            # Hangul (레이어노멀라이제이션): split it where the words sound like English ones,
            # if most of it does; else its rare parts alone.
            bridges = await frequencies.phonetic(db)
            pieces, covered = _by_sound(group.compound, bridges)
            if covered >= SOUND_COVERED * len(group.compound):
                parts = pieces
            else:
                parts = [
                    piece
                    for part in parts
                    for piece in (
                        _by_sound(part, bridges)[0]
                        if _unknown_loanword(part, docs, rare)
                        else [part]
                    )
                ]
        split = [g for g in analyse_query(" ".join(parts), prefix_min=10_000) if not g.stop]
        out.extend(split if len(split) >= 2 else [group])
    return list(dict.fromkeys(out))[:MAX_GROUPS]  # a pasted sentence stays a bounded query


BRIDGE_RARE_SHARE = 0.01  # a Hangul word in fewer papers than this share is "rare"
BRIDGE_RARE_MIN = 20
BRIDGE_TERMS = 2
BRIDGE_BELOW = 50  # typed words finding this many papers need no phonetic bridge


class LazyBridge:
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
            and await count(db, match_expression([group])) < rare
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


async def partial(
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
        f"SELECT rowid, score FROM (SELECT rowid, {BM25} AS score FROM paper_search"
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
        joined = "".join(texts)  # padded columns: a needle found in none is not in this
        for wanted, weight in matchers:
            if not found_in(wanted, joined):
                continue
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
