"""Korean spacing (issue 9): joined and spaced spellings of a compound find each other, and
the relevance floor: a search never claims papers that match only part of the query."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.search.analysis import analyse_query
from bot.search.korean import spacing_variants, strip_ending
from bot.store import Store

from .builders import daily, paper

DAY = dt.date(2024, 5, 14)
SPACED = paper("Spaced", commentary="대규모 언어 모델을 미세 조정하는 강화 학습 방법")
JOINED = paper("Joined", commentary="대규모언어모델을 미세조정하는 강화학습 방법")
APART = paper("Apart", commentary="언어의 특성과 모델의 크기, 학습 방법의 강화")


@pytest.fixture
async def corpus(store: Store) -> Store:
    await store.ingest([daily(DAY, SPACED, JOINED, APART)])
    return store


async def _titles(store: Store, query: str) -> set[str]:
    return {hit.paper.title for hit in (await store.search(query, limit=20)).hits}


@pytest.mark.parametrize(
    "query",
    ["언어모델", "언어 모델", "미세조정", "미세 조정", "강화학습", "강화 학습", "대규모언어모델"],
)
async def test_joined_and_spaced_spellings_find_each_other(corpus: Store, query: str) -> None:
    assert {"Spaced", "Joined"} <= await _titles(corpus, query)


async def test_joined_query_needs_the_words_adjacent(corpus: Store) -> None:
    # 언어 ... 모델 far apart is not 언어모델; 강화 after 학습 is not 강화학습
    assert "Apart" not in await _titles(corpus, "언어모델")
    assert "Apart" not in await _titles(corpus, "강화학습")


async def test_two_syllable_words_keep_their_precision(corpus: Store) -> None:
    # 어모 straddles 언어모델 but was never typed as a word: it must not match 언어 모델
    assert await _titles(corpus, "어모") == {"Joined"}
    assert await _titles(corpus, "언어") == {"Spaced", "Joined", "Apart"}


async def test_samples_spacing(samples: Store) -> None:
    for joined, spaced in [("언어모델", "언어 모델"), ("미세조정", "미세 조정")]:
        found = {hit.paper.id for hit in (await samples.search(joined, limit=50)).hits}
        assert found, joined
        assert found <= {hit.paper.id for hit in (await samples.search(spaced, limit=50)).hits}
    rl = (await samples.search("강화학습")).hits
    assert rl[0].paper.title.startswith("RLHF Workflow")  # the text says 강화 학습(RLHF)


def test_spacing_variants() -> None:
    assert spacing_variants("언어모델") == [("언어", "모델")]
    assert spacing_variants("환각") == spacing_variants("대규모") == []
    assert ("대규", "규모", "언어", "모델") in spacing_variants("대규모언어모델")
    assert all(len(v) >= 2 for v in spacing_variants("검색증강생성"))
    assert len(spacing_variants("가나다라마바사아자")) <= 4
    assert spacing_variants("이루었습니다") == spacing_variants("사용하였다") == []
    assert spacing_variants("망각방지") == [("망각", "방지")]  # 지 also ends nouns


def test_endings() -> None:
    assert strip_ending("검출하는") == "검출"
    assert strip_ending("학습된") == "학습"
    assert strip_ending("하는") is None
    assert strip_ending("학습된", shortest=2) is None
    [group] = analyse_query("검출하는")
    assert [alt.tokens for alt in group.alternatives] == [("검출",)]  # type: ignore[union-attr]


async def test_relaxed_fallback_reduces_korean_words_to_nouns(store: Store) -> None:
    await store.ingest([daily(DAY, paper("Eval", commentary="모델을 평가할 때 주의할 점"))])
    page = await store.search("평가한 모델")  # the text says 평가할, not 평가한
    assert (page.strategy, page.total) == ("relaxed", 1)


async def test_relevance_floor(samples: Store) -> None:
    # nothing meaningful in common: no answer ("paper" is a function word of the field)
    page = await samples.search("nonexistent paper xyz")
    assert (page.total, page.hits) == (0, [])


@pytest.mark.parametrize("query", ["hallucination qqqqqqq", "언어모델 zzzzzz"])
async def test_an_unknown_word_leaves_the_others_to_match(samples: Store, query: str) -> None:
    # issue 17 replaces issue 9's floor here: the known word's papers, as partial matches
    page = await samples.search(query)
    assert page.strategy == "any"
    assert page.hits
