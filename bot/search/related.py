"""Related papers as pure code: a paper's words, their query groups, weights and reasons.

A paper's *distinctive words* are the words of its text (titles, summaries, abstracts,
commentary) that few other papers use. Each word becomes a query group through
``analysis.analyse_query`` and an FTS5 expression through ``plan.match_expression``, the very
functions ``/search`` uses. The store (``bot.store.papers.related``) reads the document
frequencies and runs the expressions.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from bot.search.analysis import Alternative, QueryGroup, analyse_query, strip_particle
from bot.search.plan import match_expression
from bot.search.stopwords import FILLERS, STOP_KEYS, is_sentence_ending

__all__ = [
    "REASONS",
    "RelatedPaper",
    "Term",
    "at_least",
    "contains",
    "df_cap",
    "display_word",
    "idf",
    "phrases",
    "word_counts",
    "word_group",
    "word_weight",
]


MAX_DF_SHARE = 0.15  # words in more than this share of papers are not distinctive


MIN_DF_CAP = 20


REASONS = 3


# Hangul words weigh this much: in a Korean/English ML community the names of methods, models
# and datasets are written in Latin letters (DINO, RLHF, ASR) and Korean carries the prose
# around them, where a rare inflection (늘어나야, 접은) or a common noun (사례, 크기) is as rare
# as a model name. Measured on the real archive (bench.search_eval.related): see bench/README.
HANGUL_WEIGHT = 0.6


_WORD_RE = re.compile(r"[^\W\d_](?:[\w'\-]*\w)?")


_HANGUL_RE = re.compile("[\uac00-\ud7a3]")


_URL_RE = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)  # https, arxiv, org: no words


_GLUED_PARTICLE_RE = re.compile("(?<=[A-Za-z0-9])[\uac00-\ud7a3]+$")  # Score로 -> score


# Function words: frequent enough to be ignored in a large store anyway, but a small one
# (a new community's first digests) cannot tell them from content words by frequency.
_STOPWORDS = frozenset(
    """about above after again against also among and any are been before being below between
    both but can could did does doing down during each few for from further had has have having
    here how into its itself just make makes made more most much must not now off once only
    other our ours out over own same she should some such than that the their theirs them then
    there these they this those through too under until upon very was way were what when where
    which while who whom why will with within without would you your yours using used use uses
    new via show shows shown paper papers propose proposes proposed work works like well
    그리고 하는 대한 있는 통해 위해 같은 하지만 그러나 이런 이러한 것을 것이 것은 있습니다 합니다
    됩니다 있다 한다 된다 않고 없는 같습니다 보입니다 하는지 않았나 정도 부분 경우 때문에 이번
    """.split()  # noqa: SIM905 - a word list reads better as text
)


# Fields and how much a word in them counts.
_FIELD_WEIGHTS = (
    ("title_en", 3.0),
    ("title_ko", 3.0),
    ("summary_en", 2.0),
    ("summary_ko", 2.0),
    ("abstract_en", 1.0),
    ("abstract_ko", 1.0),
    ("commentary", 1.0),
)


@dataclass(frozen=True, slots=True)
class Term:
    """A distinctive word: as shown to people, its query group, its weight."""

    word: str
    group: QueryGroup
    weight: float

    @property
    def key(self) -> tuple[str, ...]:
        return phrases(self.group)[0].tokens


@dataclass(frozen=True, slots=True)
class RelatedPaper:
    """A paper close to another: its score and what they share (best first)."""

    paper_id: int
    score: float
    tags: tuple[str, ...] = ()
    words: tuple[str, ...] = ()

    @property
    def reasons(self) -> tuple[str, ...]:
        return (*(f"#{tag}" for tag in self.tags), *self.words)[:REASONS]


def display_word(word: str) -> str:
    plain = _GLUED_PARTICLE_RE.sub("", word)
    if plain != word:
        return plain.casefold()
    if _HANGUL_RE.search(word):
        return strip_particle(word) or word
    return word.casefold()


@lru_cache(maxsize=100_000)
def word_group(word: str) -> QueryGroup | None:
    """The query group of one word, as /search would analyse it; None for what is no word
    (a particle, a lone syllable, a short Latin word)."""
    folded = word.casefold()
    if len(word) < (2 if _HANGUL_RE.search(word) else 3) or folded in _STOPWORDS:
        return None
    if folded in FILLERS or (_HANGUL_RE.search(word) and is_sentence_ending(word)):
        return None  # what commentary says about any paper: 나왔군요, 그냥, various, number
    groups = analyse_query(word, prefix_min=10_000)
    if len(groups) != 1 or not phrases(groups[0]) or any(a.prefix for a in phrases(groups[0])):
        return None
    group = groups[0]
    if group.stop or any(key in FILLERS or key in STOP_KEYS for key in group.key):
        return None  # 논문을 -> 논문, approaches -> approach
    return group


def word_counts(
    paper: object,
) -> dict[tuple[str, ...], tuple[QueryGroup, Counter[str], float]]:
    """key -> (group, surface forms seen, field-weighted count)."""
    found: dict[tuple[str, ...], tuple[QueryGroup, Counter[str], float]] = {}
    for name, weight in _FIELD_WEIGHTS:
        text = getattr(paper, name)
        if not text:
            continue
        for word in _WORD_RE.findall(_URL_RE.sub(" ", text)):
            group = word_group(word)
            if group is None:
                continue
            key = phrases(group)[0].tokens
            entry = found.get(key)
            if entry is None:
                entry = found[key] = (group, Counter(), 0.0)
            entry[1][display_word(word)] += 1
            found[key] = (entry[0], entry[1], entry[2] + weight)
    return found


def word_weight(word: str, idf: float, tf: float) -> float:
    """A distinctive word's weight: idf x (1 + ln tf), a Hangul word's x ``HANGUL_WEIGHT``."""
    weight = idf * (1.0 + math.log(tf))
    return weight * HANGUL_WEIGHT if _HANGUL_RE.search(word) else weight


def df_cap(size: int) -> float:
    return max(MIN_DF_CAP, size * MAX_DF_SHARE)


def idf(size: int, count: int) -> float:
    return math.log(size / max(1, count)) if count else 0.0


def at_least(terms: Sequence[Term], count: int) -> str:
    """Papers with at least ``count`` of the words: far fewer than with any one of them, and
    the ones that share what the paper is about (a method, a task and a dataset, say)."""
    if count == 1:
        return match_expression([term.group for term in terms], "OR")
    return " OR ".join(
        f"({match_expression([term.group for term in chosen])})"
        for chosen in combinations(terms, count)
    )


def contains(group: QueryGroup, text: str) -> bool:
    """Whether ``text`` (space-separated index tokens, padded) matches ``group`` as FTS5
    would match the group's expression."""
    for alternative in phrases(group):
        phrase = " ".join(alternative.tokens)
        if alternative.prefix:
            if f" {phrase}" in text:
                return True
        elif f" {phrase} " in text:
            return True
    return False


def phrases(group: QueryGroup) -> list[Alternative]:
    """The group's plain phrases (a single word's query group holds only these; glossary
    conjunctions, which related-paper words never produce, are skipped)."""
    return [alt for alt in group.alternatives if isinstance(alt, Alternative)]
