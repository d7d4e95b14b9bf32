"""Issue 17: search that answers real readers. One test per failure class of the old search
(every word must match; glossary forms as exact phrases; long compounds split at a few points;
transliterations outside the glossary; typos "corrected" to a short unrelated term), on the
per-paper notes in ``tests/fixtures/search`` parsed by the real parser."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.digests.parse import parse_paths
from bot.digests.tags import load_vocabulary
from bot.search.analysis import QueryGroup
from bot.search.plan import added_count
from bot.store import SearchPage, Store
from bot.store.papers import search as _search

NOTES = Path(__file__).parents[1] / "fixtures" / "search"


@pytest.fixture
async def notes(store: Store) -> Store:
    result = parse_paths([NOTES], load_vocabulary())
    assert result.errors == []
    assert len(result.documents) == 13
    await store.ingest(result.documents)
    return store


def titles(page: SearchPage) -> list[str]:
    return [hit.paper.title for hit in page.hits]


async def first(store: Store, query: str) -> str:
    page = await store.search(query)
    assert page.hits, f"nothing found for {query!r}"
    return page.hits[0].paper.title


# -- 1. one word the paper lacks no longer empties the answer --------------------------------


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("강화학습 없이 추론 능력 향상", "Eliciting Reasoning From Base Models"),
        ("reasoning in base models without fine-tuning", "Eliciting Reasoning From Base Models"),
        ("프롬프트만으로 탈옥", "Many-shot Prompting Breaks Safety Training"),
        ("긴 프롬프트 탈옥 공격 방어", "Many-shot Prompting Breaks Safety Training"),
    ],
)
async def test_a_word_the_paper_lacks_ranks_instead_of_emptying(
    notes: Store, query: str, title: str
) -> None:
    assert await first(notes, query) == title


async def test_papers_covering_more_of_the_query_rank_higher(notes: Store) -> None:
    page = await notes.search("scaling large language models analysis benchmark")
    assert page.hits[0].paper.title == "Scaling Large Language Models"
    assert page.strategy == "any"


async def test_nothing_when_nothing_shares_a_meaningful_term(notes: Store) -> None:
    for query in ["qqqqqqq zzzzzzz", "그냥 논문 qqqqqqq", "the of and"]:
        page = await notes.search(query)
        assert (page.total, page.hits) == (0, []), query


# -- 2. glossary forms as alternatives: word order, mixed script -----------------------------


@pytest.mark.parametrize("query", ["KV cache", "reasoning in base models", "merging models"])
async def test_expansion_count_is_exact(
    notes: Store, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    # the shortcut for one widened group counts what counting all of wide and subtracting does
    fast = await notes.search(query)
    every = added_count

    def whole(wide: Sequence[QueryGroup], groups: object, keys: Sequence[str]) -> tuple[str, bool]:
        return every(wide, [], keys)  # no typed groups to compare with: all of wide

    monkeypatch.setattr(_search, "added_count", whole)
    slow = await notes.search(query)
    assert fast.total == slow.total
    assert titles(fast) == titles(slow)


async def test_glossary_word_order_is_free(notes: Store) -> None:
    assert await first(notes, "merging models") == "Evolutionary Recipes for Foundation Models"


@pytest.mark.parametrize("query", ["KV cache", "key-value cache", "KV 캐시"])
async def test_glossary_forms_match_in_mixed_script(notes: Store, query: str) -> None:
    # the note says "key-value 캐시": English head, Korean last word
    assert await first(notes, query) == "Squeezing Long Context Inference"


# -- 3. long joined compounds, any split ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("비전언어모델평가", "A Harder Benchmark for Multimodal Understanding"),
        ("대규모언어모델추론최적화", "Serving Giant Models Cheaply"),
        # a loanword compound the index only holds in English: split where it sounds
        ("레이어노멀라이제이션", "Layer Normalization Revisited"),
    ],
)
async def test_long_joined_compounds_find_their_spaced_spelling(
    notes: Store, query: str, title: str
) -> None:
    assert await first(notes, query) == title


# -- 4. transliterations outside the glossary -------------------------------------------------


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("라마", "LLaMA: Open and Efficient Foundation Language Models"),
        ("미스트랄", "Mistral 7B"),
    ],
)
async def test_transliterations_find_the_english_term(notes: Store, query: str, title: str) -> None:
    assert await first(notes, query) == title


# -- 5. typos are corrected to the frequent, longer word, not a short surname -----------------


async def test_typo_is_not_corrected_to_a_shorter_different_word(notes: Store) -> None:
    page = await notes.search("lage language models")
    assert page.corrections == {"lage": "large"}
    assert page.hits[0].paper.title == "Scaling Large Language Models"
