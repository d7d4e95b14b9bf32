"""Text analysis shared by indexing and querying: folding, tokenising, query planning.

Pure functions, no SQL. The store never hands raw user text to FTS5: both the indexed columns
and the MATCH expression are built from the tokens produced here, so the two sides always agree
and FTS5 (tokenizer ``unicode61``) only ever sees space-separated, pre-analysed tokens.

Why bigrams: FTS5's ``unicode61`` keeps a Korean word glued to its particle (``환각을`` is one
token, so ``환각`` never finds it) and ``trigram`` cannot match the 2-syllable words most Korean
queries consist of. Like Lucene's CJK bigram filter we split runs of Hangul/CJK into overlapping
2-character tokens (a lone character stays a unigram): ``환각을`` -> ``환각 각을``; a query for
``환각`` is the single token ``환각``, a query for ``강화학습`` the phrase ``강화 화학 학습``.

Everything else is a word: case-folded, accent-stripped, stemmed with the Snowball English
stemmer (``hallucinations`` -> ``hallucin``), digits kept as they are (``4o``, ``2024``).
Hyphenated compounds are indexed as their parts *and* as one joined word (``gpt-4o`` ->
``gpt 4o`` + ``gpt4o``; ``fine-tuning`` -> ``fine tune`` + ``finetun``) so either spelling finds
the other. Joined words (and, in titles, unstemmed words for prefix search) are appended after
the main tokens so they never break the adjacency that phrase queries rely on.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer

from bot.search.korean import is_verbal, spacing_variants, strip_ending
from bot.search.stopwords import STOP_KEYS

__all__ = [
    "KOREAN_PARTICLES",
    "Alternative",
    "Conjunction",
    "QueryGroup",
    "analyse_query",
    "cache_sizes",
    "fold",
    "index_text",
    "query_stem",
    "stem",
    "strip_particle",
    "tokenize",
]

# Hangul (syllables and jamo), kana, CJK ideographs (BMP and supplementary planes). The katakana
# middle dot U+30FB is punctuation and is left out.
_CJK_RANGES = (
    "\u1100-\u11ff\u2e80-\u2fdf\u3005-\u3007\u3040-\u30fa\u30fc-\u30ff\u3100-\u318f"
    "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff"
    "\U00020000-\U0003134f"
)
_CJK = f"[{_CJK_RANGES}]"
_W = f"[^\\W_{_CJK_RANGES}]"  # a word character that is not CJK
_WORD = f"{_W}+(?:'{_W}+)*"

_RUN_RE = re.compile(f"({_CJK}+)|({_WORD})")
_HANGUL_RE = re.compile("[\uac00-\ud7a3]+")
_DIGIT_RE = re.compile(r"\d")
# ``LLMs`` -> ``LLM``: Snowball leaves ``llms`` alone (no vowel), so strip an acronym's plural
# while the case still tells us it is an acronym.
_ACRONYM_PLURAL_RE = re.compile(r"\b([A-Z][A-Z0-9]+)s\b")

# Particles, longest first so ``에서`` wins over ``에``. Compound particles (``만으로``,
# ``에서의``) are what readers type in phrases: a query word keeps only its noun.
KOREAN_PARTICLES: tuple[str, ...] = (
    "으로만",
    "만으로",
    "에서의",
    "으로의",
    "에서는",
    "으로는",
    "이라는",
    "까지",
    "부터",
    "처럼",
    "에게",
    "만의",
    "과의",
    "와의",
    "에는",
    "에도",
    "로는",
    "로만",
    "라는",
    "이나",
    "에서",
    "으로",
    "들을",
    "들이",
    "들의",
    "들은",
    "들",
    "만",
    "은",
    "는",
    "이",
    "가",
    "을",
    "를",
    "의",
    "에",
    "로",
    "와",
    "과",
    "도",
)

_APOSTROPHES = "\u2018\u2019\u02bc"
_DASHES = "\u2010\u2011\u2012\u2013\u2212"
# Per-character fold table, filled lazily so that text.translate() runs in C: accented letters
# map to their plain form, combining marks to "" (removed).
_FOLD_TABLE: dict[int, str] = {ord(ch): "'" for ch in _APOSTROPHES} | {
    ord(ch): "-" for ch in _DASHES
}
_FOLDED: set[str] = set()  # characters already decided for _FOLD_TABLE
_FOLD_BASE = dict(_FOLD_TABLE)
# Every distinct character a user types would otherwise stay in the table for good (100,000
# random queries: +385 MB). Real text uses a few thousand distinct characters: past this many
# the table starts over, which costs one _strip_accents call per character re-learned.
FOLD_TABLE_LIMIT = 8_192
_KEEP_MARKS = frozenset("\u3099\u309a")  # kana voicing marks are not accents
# Chunking: whitespace and ASCII punctuation other than ``'`` and ``-`` end a chunk (``it's``
# and ``gpt-4o`` stay one chunk). ASCII text is cut with str.translate + str.split (C speed);
# other text with an equivalent regex. Non-ASCII punctuation left inside a chunk is harmless:
# the runs of a chunk are read with _RUN_RE, which skips it.
_ASCII_SEPARATORS = [
    chr(code) for code in range(128) if not (chr(code).isalnum() or chr(code) in "'-")
]
_CHUNK_TABLE = {ord(char): " " for char in _ASCII_SEPARATORS}
_CHUNK_RE = re.compile("[^\\s" + "".join(re.escape(char) for char in _ASCII_SEPARATORS) + "]+")


def _strip_accents(char: str) -> str:
    """NFD, drop non-spacing marks, NFC: ``î`` -> ``i`` while Hangul survives.

    A Hangul syllable decomposes into conjoining jamo (letters, not marks) and recomposes, so
    it comes back unchanged; an NFKD-and-drop approach would leave loose jamo instead.
    """
    decomposed = unicodedata.normalize("NFD", char)
    kept = "".join(ch for ch in decomposed if ch in _KEEP_MARKS or unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", kept)


def fold(text: str) -> str:
    """NFKC, case-fold, strip accents (not Hangul), normalise apostrophes and dashes."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if text.isascii():
        return text
    new = set(text).difference(_FOLDED)
    if len(_FOLDED) + len(new) > FOLD_TABLE_LIMIT:
        _FOLDED.clear()
        _FOLD_TABLE.clear()
        _FOLD_TABLE.update(_FOLD_BASE)
        new = set(text)
    for char in new:
        _FOLDED.add(char)
        if ord(char) >= 128 and ord(char) not in _FOLD_TABLE:
            _FOLD_TABLE[ord(char)] = _strip_accents(char)
    return text.translate(_FOLD_TABLE)


def _chunks(text: str) -> list[str]:
    """Split text into chunks at whitespace and punctuation (but not ``'`` and ``-``)."""
    return _split_chunks(unicodedata.normalize("NFKC", text))


class _Stemmer(threading.local):
    """Snowball stemmers keep state while stemming: one per thread."""

    def __init__(self) -> None:
        self.english = snowballstemmer.stemmer("english")


_STEMMER = _Stemmer()


def query_stem(word: str) -> str:
    """Stem of a folded word; words with digits (``4o``, ``2024``, ``7b``) are kept as they are.

    Uncached: the query side calls this (typo candidates are hundreds of throwaway strings per
    query) and must not fill a cache with what users type. Indexing uses :func:`stem`.
    """
    if _DIGIT_RE.search(word):
        return word.removesuffix("'s").replace("'", "")
    stemmed: str = _STEMMER.english.stemWord(word)
    return stemmed.replace("'", "") or word.replace("'", "")


# Indexing caches. Bounded (lru), and only indexing fills them: text repeats (Zipf), queries
# do not, and 100,000 random queries must not grow the process (see bench/memory.py).
STEM_CACHE = 100_000
CHUNK_CACHE = 50_000
stem = lru_cache(maxsize=STEM_CACHE)(query_stem)


def _bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


_Runs = tuple[tuple[tuple[str, str], ...], bool]
_ChunkTokens = tuple[tuple[str, ...], str | None, tuple[str, ...]]


def _runs_of(chunk: str) -> _Runs:
    """Folded runs of a chunk, each ``(cjk, "")`` or ``("", word)``, and whether it had a ``-``."""
    folded = fold(_ACRONYM_PLURAL_RE.sub(r"\1", chunk))
    return tuple(_RUN_RE.findall(folded)), "-" in folded


_runs = lru_cache(maxsize=CHUNK_CACHE)(_runs_of)


def _tokens_of(runs: _Runs, stemmer: Callable[[str], str]) -> _ChunkTokens:
    """Index tokens of one chunk's runs: main tokens, the joined compound, unstemmed words."""
    main: list[str] = []
    raw: list[str] = []
    words: list[str] = []
    for cjk, word in runs[0]:
        if cjk:
            main.extend(_bigrams(cjk))
            continue
        stemmed = stemmer(word)
        main.append(stemmed)
        words.append(word)
        plain = word.removesuffix("'s").replace("'", "")
        if plain != stemmed:
            raw.append(plain)
    joined = stemmer("".join(words)) if len(words) >= 2 and runs[1] else None
    return tuple(main), joined, tuple(raw)


@lru_cache(maxsize=CHUNK_CACHE)
def _chunk_tokens(chunk: str) -> _ChunkTokens:
    """Index tokens of one chunk, cached: words repeat a lot (Zipf), so most chunks of a new
    abstract are cache hits and indexing costs a dictionary lookup per word rather than a
    regex pass and a stemmer call."""
    return _tokens_of(_runs(chunk), stem)


def cache_sizes() -> dict[str, int]:
    """Entries held by each cache of this module (for tests and bench/memory.py)."""
    return {
        "fold": len(_FOLD_TABLE),
        "stem": stem.cache_info().currsize,
        "runs": _runs.cache_info().currsize,
        "chunks": _chunk_tokens.cache_info().currsize,
        "words": len(_MAIN),
    }


# Indexing cache, per whitespace-delimited word: its main tokens, joined compound and raw words,
# each space-joined ("" when none). Plain dicts rather than lru_cache: ``map(dict.get, words)``
# is a C loop, about four times cheaper per word than calling an lru_cache-wrapped function,
# and indexing is dominated by that loop. Cleared when it grows past _CACHE_LIMIT.
_MAIN: dict[str, str] = {}
_JOINED: dict[str, str] = {}
_RAW: dict[str, str] = {}
_CACHE_LIMIT = 250_000


def _learn(word: str) -> str:
    """Analyse one whitespace-delimited word into the caches; return its main tokens."""
    main: list[str] = []
    joined: list[str] = []
    raw: list[str] = []
    for chunk in _split_chunks(word):
        tokens, compound, words = _chunk_tokens(chunk)
        main.extend(tokens)
        if compound is not None:
            joined.append(compound)
        raw.extend(words)
    _JOINED[word] = " ".join(joined)
    _RAW[word] = " ".join(raw)
    _MAIN[word] = result = " ".join(main)
    return result


def _split_chunks(text: str) -> list[str]:
    if text.isascii():
        return text.translate(_CHUNK_TABLE).split()
    return _CHUNK_RE.findall(text)


def _index(text: str, *, keep_words: bool) -> tuple[str, str]:
    """Main tokens and extra tokens (joined compounds, raw words) of ``text``, space-joined."""
    if not text.isascii():  # ASCII is already NFKC
        text = unicodedata.normalize("NFKC", text)
    words = text.split()
    if len(_MAIN) > _CACHE_LIMIT:
        _MAIN.clear()
        _JOINED.clear()
        _RAW.clear()
    mains = list(map(_MAIN.get, words))
    if None in mains:
        for position, main in enumerate(mains):
            if main is None:
                mains[position] = _learn(words[position])
    extra = " ".join(filter(None, map(_JOINED.get, words)))
    if keep_words:
        raw = " ".join(filter(None, map(_RAW.get, words)))
        extra = f"{extra} {raw}" if extra and raw else extra or raw
    return " ".join(filter(None, mains)), extra


def tokenize(text: str, *, keep_words: bool = False) -> list[str]:
    """Index tokens of ``text``: main tokens in order, then joined compounds (and raw words).

    ``keep_words`` also appends the unstemmed form of every word whose stem differs; titles use
    it so that a half-typed title word (``tokeniz``) still prefix-matches (``tokenizer``).
    """
    main, extra = _index(text, keep_words=keep_words)
    return main.split() + extra.split()


def index_text(texts: Iterable[str | None], *, keep_words: bool = False) -> str:
    """One FTS column: the tokens of several texts, space-joined (what FTS5 will index).

    The texts are analysed as one (a column is often many short texts, such as author names:
    one call instead of ten). Extra tokens go after all main tokens, so phrase adjacency is
    never broken by them.
    """
    main, extra = _index("\n".join(filter(None, texts)), keep_words=keep_words)
    return f"{main} {extra}" if main and extra else main or extra


# --------------------------------------------------------------------------------------------
# Query side


@dataclass(frozen=True, slots=True)
class Alternative:
    """A phrase of tokens (adjacent, in order); with ``prefix`` its last token is a prefix.

    With ``near``, the phrases in ``near`` within a few tokens of each other, in any order
    (``tokens`` is then all their tokens): how a glossary form of several words matches
    (``merging models`` = ``model merging``, ``key-value 캐시``).
    """

    tokens: tuple[str, ...]
    prefix: bool = False
    near: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Conjunction:
    """All of several groups: what a multi-word glossary term was typed as (``speculative
    decoding``), kept as one alternative so that its synonyms can stand beside it."""

    groups: tuple[QueryGroup, ...]


@dataclass(frozen=True, slots=True)
class QueryGroup:
    """What one typed chunk may match: any of its alternatives.

    ``word`` is set when the chunk is a single alphabetic word, the only kind of group the
    one-typo fallback tries to correct. ``completion`` is set on the last word: a prefix for
    when it is half typed. Search adds it only if the query finds nothing without it (a
    prefix costs a scan of every indexed term it starts; ``model*`` doubles the cost of
    ``model``); autocomplete always adds it. ``relaxed`` are looser alternatives (a Korean
    word reduced to its noun: ``평가한`` -> ``평가``) for the fallback when nothing matches.
    ``key`` is the chunk's words, normalised (stems, Korean without particles), which the
    glossary is matched against.
    """

    alternatives: tuple[Alternative | Conjunction, ...]
    word: str | None = None
    completion: Alternative | None = None
    # Derived from the alternatives' chunk: not part of the group's identity.
    relaxed: tuple[Alternative, ...] = field(default=(), compare=False)
    key: tuple[str, ...] = field(default=(), compare=False)
    # A function word (``without``, ``없이``, ``위한``): never required, never counted.
    stop: bool = field(default=False, compare=False)
    # A long joined Hangul compound (5+ syllables, as typed, particle and all) the store
    # segments with the index's own term statistics (``korean.segment``).
    compound: str | None = field(default=None, compare=False)
    # The Hangul word as typed (``뮤제로``: its key strips ``로`` as if a particle), and what
    # follows it in the chunk (``블립2``: ``2``): what the phonetic bridge reads.
    hangul: str | None = field(default=None, compare=False)
    tail: tuple[str, ...] = field(default=(), compare=False)

    def completed(self) -> QueryGroup:
        """This group with its completion as one more alternative."""
        if self.completion is None:
            return self
        return QueryGroup(
            tuple(dict.fromkeys((*self.alternatives, self.completion))),
            self.word,
            relaxed=self.relaxed,
            key=self.key,
            compound=self.compound,
            hangul=self.hangul,
            tail=self.tail,
        )

    def relax(self) -> QueryGroup:
        """This group with its relaxed alternatives (and completion) added."""
        extra = (*self.relaxed, *((self.completion,) if self.completion else ()))
        if not extra:
            return self
        return QueryGroup(
            tuple(dict.fromkeys((*self.alternatives, *extra))),
            self.word,
            key=self.key,
            stop=self.stop,
            compound=self.compound,
            hangul=self.hangul,
            tail=self.tail,
        )


def strip_particle(word: str) -> str | None:
    """Stem of a Hangul word ending in a particle, if the stem keeps at least 2 syllables.

    ``환각을`` -> ``환각``, ``추론에서`` -> ``추론``; ``평가`` -> None (``평`` alone would
    match far too much, and ``가`` there is not a particle).
    """
    if not _HANGUL_RE.fullmatch(word):
        return None
    for particle in KOREAN_PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return None


def _korean_alternatives(run: str) -> tuple[list[Alternative], list[Alternative], str]:
    """Strict and relaxed alternatives of one Hangul run, and its normalised key.

    A particle (``환각을``) or a two-syllable verb ending (``검출하는``) is stripped in the
    strict query: the noun's bigrams begin the word's, so the noun matches every text the
    whole word does. One-syllable endings (``평가한``, ``학습된``) are ambiguous (``불포함``)
    and only stripped in the relaxed fallback. A noun of 4+ syllables also matches its
    spaced spellings (see ``_korean.spacing_variants``).
    """
    noun = strip_ending(run, shortest=2) or strip_particle(run) or run
    loose = strip_ending(noun)
    strict = [Alternative(tuple(_bigrams(noun))[:_MAX_PHRASE])]
    strict.extend(Alternative(variant) for variant in spacing_variants(noun))
    relaxed = []
    if loose is not None and loose != noun:
        relaxed.append(Alternative(tuple(_bigrams(loose))[:_MAX_PHRASE]))
    return strict, relaxed, noun


def _chunk_group(chunk: str, *, last: bool, prefix_min: int) -> QueryGroup | None:
    """The group for one typed chunk, built from exactly the tokens indexing would produce.

    Query text is analysed without the indexing caches (see ``query_stem``).
    """
    all_runs = _runs_of(chunk)
    runs = list(all_runs[0])
    # A particle glued to a Latin word (``GPT의``, ``LLM에서``) carries no meaning: drop it.
    if len(runs) >= 2 and runs[-2][1] and runs[-1][0] in KOREAN_PARTICLES:
        runs.pop()
    if not runs:
        return None
    tokens, joined, _ = _tokens_of((tuple(runs), all_runs[1]), query_stem)
    key = tuple(cjk or query_stem(word) for cjk, word in runs)
    alternatives: list[Alternative] = [Alternative(tokens[:_MAX_PHRASE])]
    relaxed: list[Alternative] = []
    word_group: str | None = None
    completion: Alternative | None = None
    if joined is not None:
        # ``fine-tuning`` also finds ``finetuning`` (indexed as a joined word) and vice versa.
        alternatives.append(Alternative((joined,)))
    if len(runs) == 1:
        cjk, word = runs[0]
        if cjk and len(cjk) == 1:
            # A lone syllable is a prefix: ``환`` finds ``환각``, ``환경``...
            alternatives = [Alternative((cjk,), prefix=True)]
        elif cjk and _HANGUL_RE.fullmatch(cjk):
            alternatives, relaxed, noun = _korean_alternatives(cjk)
            key = (noun,)
        elif word:
            plain = word.removesuffix("'s").replace("'", "")
            if word.isalpha() and len(plain) >= 4:
                word_group = plain
            if last and len(plain) >= prefix_min:
                # The last word may be half typed: ``zero-shot tokenizer tra``. A prefix of the
                # unstemmed word also reaches the unstemmed title words indexed for this.
                completion = Alternative((plain,), prefix=True)
    compound = hangul = None
    tail: tuple[str, ...] = ()
    first = runs[0][0]
    if first and _HANGUL_RE.fullmatch(first):
        hangul = first
        tail = tuple(tokens[len(_bigrams(first)) :])
        # A particle of two or more syllables (만으로, 에서의) is surely one: the compound is
        # the noun before it. A one-syllable one (가, 도, 로) may end the compound itself
        # (평가, 초해상도): the segmentation decides (``korean.segment``).
        noun = key[0] if len(first) - len(key[0]) >= 2 and first.startswith(key[0]) else first
        if len(runs) == 1 and len(noun) >= COMPOUND_MIN and not is_verbal(noun):
            compound = noun
    return QueryGroup(
        tuple(dict.fromkeys(alternatives)),
        word_group,
        completion,
        relaxed=tuple(relaxed),
        key=key,
        stop=len(key) == 1 and key[0] in STOP_KEYS,
        compound=compound,
        hangul=hangul,
        tail=tail,
    )


COMPOUND_MIN = 5


_MAX_PHRASE = 32


def analyse_query(
    text: str, *, prefix_min: int = 3, max_chars: int = 300, max_groups: int = 24
) -> list[QueryGroup]:
    """Turn user input into groups to AND together; never fails, may return nothing.

    The last word, if it has at least ``prefix_min`` characters, gets a prefix completion
    (``QueryGroup.completion``).
    Input is cut to ``max_chars`` characters, ``max_groups`` distinct groups and phrases of 32
    tokens: a pasted abstract must not become a MATCH expression FTS5 chokes on.
    """
    chunks = _chunks(text[:max_chars])
    groups: dict[QueryGroup, None] = {}
    for index, chunk in enumerate(chunks):
        group = _chunk_group(chunk, last=index == len(chunks) - 1, prefix_min=prefix_min)
        if group is not None:
            groups[group] = None
            if len(groups) >= max_groups:
                break
    return list(groups)
