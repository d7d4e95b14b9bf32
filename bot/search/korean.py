"""Korean query helpers: spacing variants of a compound and stems of inflected words.

Pure string functions on Hangul runs, no SQL and no state.

Spacing: Korean writers join or split compounds freely (``언어모델`` / ``언어 모델``). The
index keeps each Hangul run as overlapping bigrams, so ``언어 모델`` is indexed as the adjacent
tokens ``언어 모델`` and ``언어모델`` as ``언어 어모 모델``: the two spellings differ exactly by
the bigrams that straddle a space. A joined query therefore also tries, as phrases, its bigram
sequence with the straddling bigrams removed at every plausible split (parts of 2+ syllables).
The other direction needs nothing: a spaced query is one group per word, ANDed, and a joined
text contains every word's bigrams. This costs nothing in the index (bench/README.md compares
it with indexing bridge bigrams and with a morphological analyser).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from itertools import combinations, pairwise

__all__ = ["ENDINGS", "is_verbal", "segment", "spacing_variants", "strip_ending"]

MAX_SPACING_VARIANTS = 4  # each is a phrase FTS5 must match: they cost
_MAX_SPLIT_SYLLABLES = 8  # longer runs are pasted sentences, not compounds
# A run ending like a verb or a sentence (이루었습니다, 사용하였다) is no compound. Endings
# of two syllables: single final syllables (지, 서, 고...) end nouns too (방지, 문서, 참고).
_VERBAL_ENDINGS = (
    "니다", "었다", "았다", "였다", "했다", "한다", "된다", "이다", "하다", "있다", "없다",
    "어요", "아요", "해요", "세요", "지만", "는데", "으며", "하며", "하고", "하면", "해서",
    "하여", "었고", "았고", "겠다", "는다",
)  # fmt: skip

# Endings of verbs and adjectives derived from nouns (검출하는, 학습된, 효율적인), longest first.
# Only the noun before them is kept, and only if it has 2+ syllables: ``검출하는`` -> ``검출``.
ENDINGS: tuple[str, ...] = (
    "하였다",
    "되었다",
    "시키는",
    "하려는",
    "했다",
    "한다",
    "하는",
    "하고",
    "하여",
    "해서",
    "하면",
    "하기",
    "되는",
    "되어",
    "되고",
    "된다",
    "적인",
    "적으로",
    "적",
    "한",
    "할",
    "함",
    "된",
    "될",
    "됨",
)


def _bigrams(run: str) -> list[str]:
    return [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]


def is_verbal(run: str) -> bool:
    """Whether a Hangul run ends like a verb or a sentence (``이루었습니다``): no compound."""
    return run.endswith(_VERBAL_ENDINGS)


def spacing_variants(run: str) -> list[tuple[str, ...]]:
    """Token phrases a spaced spelling of the Hangul ``run`` is indexed as, likeliest first.

    ``언어모델`` -> ``[("언어", "모델")]``; ``검색증강생성`` -> ``[("검색", "증강", "생성"),
    ("검색", "색증", "강생", "생성"), ...]``. Every part keeps 2+ syllables: a split-off
    single syllable (``이 모델``) is mostly a particle or a determiner, and a unigram would
    match far too much. At most MAX_SPACING_VARIANTS, and none for a run that ends like a
    verb (``이루었습니다``).
    """
    size = len(run)
    if size < 4 or size > _MAX_SPLIT_SYLLABLES or run.endswith(_VERBAL_ENDINGS):
        return []
    splits: list[tuple[int, ...]] = []
    for count in range(1, size // 2):
        for cuts in combinations(range(2, size - 1), count):
            bounds = (0, *cuts, size)
            if all(end - start >= 2 for start, end in pairwise(bounds)):
                splits.append(bounds)
    # Words in Korean compounds are mostly 2-3 syllables (언어|모델, 대규모|언어|모델): those
    # splits first, then fewer splits.
    splits.sort(key=lambda cut: (any(end - start > 3 for start, end in pairwise(cut)), len(cut)))
    return [
        tuple(token for start, end in pairwise(bounds) for token in _bigrams(run[start:end]))
        for bounds in splits[:MAX_SPACING_VARIANTS]
    ]


def strip_ending(word: str, *, shortest: int = 1) -> str | None:
    """The noun of a Hangul word inflected with a verb/adjective ending, if 2+ syllables remain.

    ``검출하는`` -> ``검출``, ``효율적인`` -> ``효율``, ``학습된`` -> ``학습``; ``하는`` -> None.
    Only endings of ``shortest`` or more syllables are considered.
    """
    for ending in ENDINGS:
        if len(ending) >= shortest and word.endswith(ending) and len(word) - len(ending) >= 2:
            return word[: -len(ending)]
    return None


BOUNDARY_SHARE = 0.002
BOUNDARY_MIN = 3.0
SEGMENT_PART_MAX = 7  # 대규모, 최적화; loanwords are longer (트랜스포머, 노멀라이제이션)
# Particles a compound may end with: the DP splits them off cheaply, then drops them.
_FINAL_PARTICLES = frozenset(
    "은 는 이 가 을 를 의 에 로 와 과 도 만 들 에서 으로 까지 부터 처럼 에게 에는 에도 로는".split()  # noqa: SIM905
)


def segment(run: str, frequency: Callable[[str], int], documents: int) -> list[str]:
    """The likeliest split of a joined Hangul compound into words, by the index's statistics.

    Dynamic programming over every split point (parts of 2 to ``SEGMENT_PART_MAX`` syllables,
    a lone syllable only where nothing else fits, a closing particle split off): a part costs
    the surprise of each of its bigrams (``-log`` of its document share) plus a constant per
    word. Splitting between two syllables saves the bigram that straddles them and costs a
    word, so the DP splits exactly where that bigram is rarer than ``BOUNDARY_SHARE`` of the
    papers (``전언`` in ``비전언어``: rare in text that spaces the words) and keeps words
    whose bigrams are common together. ``비전언어모델평가`` -> ``비전 언어 모델 평가``.
    ``frequency`` gives a bigram's document frequency.
    """
    size = len(run)
    total = max(documents, 1) * 2.0
    word = math.log(total / max(BOUNDARY_MIN, BOUNDARY_SHARE * documents))

    def cost(part: str, end: int) -> float:
        if end == size and part in _FINAL_PARTICLES:
            return word / 2 + 2.0  # a closing particle: split off (then dropped) if likely
        if len(part) == 1:
            return 30.0  # a lone syllable: only when nothing else fits
        return word + sum(-math.log((frequency(gram) + 0.5) / total) for gram in _bigrams(part))

    best: list[tuple[float, int]] = [(0.0, 0)] + [(math.inf, 0)] * size
    for end in range(1, size + 1):
        for length in range(1, min(SEGMENT_PART_MAX, end) + 1):
            start = end - length
            if best[start][0] == math.inf:
                continue
            score = best[start][0] + cost(run[start:end], end)
            if score < best[end][0]:
                best[end] = (score, start)
    parts: list[str] = []
    end = size
    while end > 0:
        start = best[end][1]
        parts.append(run[start:end])
        end = start
    parts.reverse()
    if len(parts) > 1 and parts[-1] in _FINAL_PARTICLES:
        parts.pop()
    return parts
