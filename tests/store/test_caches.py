"""The analysis caches stay bounded whatever users type (issue 9, reliability)."""

from __future__ import annotations

import random

from bot.search import analysis
from bot.search.analysis import analyse_query, cache_sizes, fold, index_text


def _random_text(rng: random.Random) -> str:
    # Unicode-heavy: accented Latin, Hangul, CJK, Cyrillic, symbols, a few ASCII words
    chars = [chr(rng.randrange(0x00C0, 0x2FFF)) for _ in range(rng.randrange(5, 40))]
    chars += [chr(rng.randrange(0xAC00, 0xD7A3)) for _ in range(rng.randrange(0, 10))]
    chars += [chr(rng.randrange(0x4E00, 0x9FFF)) for _ in range(rng.randrange(0, 10))]
    rng.shuffle(chars)
    words = ["".join(chars[i : i + 6]) for i in range(0, len(chars), 6)]
    return " ".join([*words, f"word{rng.randrange(10**9)}"])


def test_queries_do_not_fill_the_indexing_caches() -> None:
    index_text(["warm the caches: 환각을 줄이는 hallucinations"])
    before = cache_sizes()
    rng = random.Random(9)
    for _ in range(3_000):
        analyse_query(_random_text(rng))
    after = cache_sizes()
    for name in ("stem", "runs", "chunks", "words"):
        assert after[name] == before[name], name


def test_fold_table_is_bounded() -> None:
    rng = random.Random(7)
    for _ in range(2_000):
        fold(_random_text(rng))  # about 100,000 distinct characters seen
    assert cache_sizes()["fold"] <= analysis.FOLD_TABLE_LIMIT + len(analysis._FOLD_BASE)
    assert fold("Benoît 환각") == "benoit 환각"  # still correct after starting over


def test_indexing_caches_have_limits() -> None:
    assert analysis.stem.cache_info().maxsize == analysis.STEM_CACHE
    assert analysis._runs.cache_info().maxsize == analysis.CHUNK_CACHE
    assert analysis._chunk_tokens.cache_info().maxsize == analysis.CHUNK_CACHE
