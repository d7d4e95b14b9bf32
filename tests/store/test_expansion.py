"""Search across languages (issue 9): a Korean query finds an English-only paper through the
glossary and the tag aliases, and the other way round; exact-language matches rank first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.digests.glossary import Glossary
from bot.store import Store

from .builders import daily, paper

DAY = dt.date(2024, 5, 14)
ENGLISH = [
    paper("Quantized Transformers", abstract_en="We study post-training quantization."),
    paper("Attention Sinks", abstract_en="Streaming attention with sink tokens."),
    paper("Drafting Fast", abstract_en="Speculative decoding with a small draft model."),
    paper("RAG at Scale", abstract_en="Retrieval-augmented generation over a web index."),
    paper("Truthful Models", abstract_en="Measuring hallucinations of chat models."),
    paper("Policy Gradients", tags=["rl"], abstract_en="A study of policy gradients."),
]
KOREAN = [
    paper("Korean Note A", commentary="양자화를 다룬 논문입니다. 추측 디코딩도 조금."),
    paper("Korean Note B", commentary="검색 증강 생성 파이프라인과 임베딩 모델 비교"),
    paper("Korean Note C", commentary="환각을 줄이는 방법에 대한 분석"),
]


@pytest.fixture
async def corpus(store: Store) -> Store:
    await store.ingest([daily(DAY, *ENGLISH, *KOREAN)])
    return store


async def _titles(store: Store, query: str) -> list[str]:
    return [hit.paper.title for hit in (await store.search(query, limit=20)).hits]


@pytest.mark.parametrize(
    ("query", "english", "korean"),
    [
        ("양자화", "Quantized Transformers", "Korean Note A"),
        ("quantization", "Quantized Transformers", "Korean Note A"),
        ("어텐션", "Attention Sinks", None),
        ("트랜스포머", "Quantized Transformers", None),
        ("추측 디코딩", "Drafting Fast", "Korean Note A"),
        ("speculative decoding", "Drafting Fast", "Korean Note A"),
        ("검색 증강 생성", "RAG at Scale", "Korean Note B"),
        ("검색증강생성", "RAG at Scale", "Korean Note B"),
        ("retrieval-augmented generation", "RAG at Scale", "Korean Note B"),
        ("환각", "Truthful Models", "Korean Note C"),
        ("hallucination", "Truthful Models", "Korean Note C"),
        ("임베딩", None, "Korean Note B"),
    ],
)
async def test_both_directions(
    corpus: Store, query: str, english: str | None, korean: str | None
) -> None:
    found = await _titles(corpus, query)
    for title in (english, korean):
        if title is not None:
            assert title in found, (query, found)


async def test_exact_language_ranks_first(corpus: Store) -> None:
    assert (await _titles(corpus, "환각"))[0] == "Korean Note C"
    assert (await _titles(corpus, "hallucination"))[0] == "Truthful Models"
    assert (await _titles(corpus, "양자화"))[0] == "Korean Note A"
    page = await corpus.search("환각", limit=1, offset=1)  # the tiers page like one list
    assert (page.total, page.hits[0].paper.title) == (2, "Truthful Models")


async def test_tag_alias_joins_the_expansion(corpus: Store) -> None:
    # 강화학습 is an alias of the tag rl: the tagged paper is found though its text is English
    assert "Policy Gradients" in await _titles(corpus, "강화학습")


async def test_concept_typed_in_both_languages_is_not_widened(corpus: Store) -> None:
    # no paper says both: the expansion would add nothing; papers with either come as
    # partial matches (issue 17), never widened ones (score > -1)
    page = await corpus.search("hallucination 환각")
    assert (page.strategy, all(hit.score < -1 for hit in page.hits)) == ("any", True)


async def test_replacement_glossary(tmp_path: Path) -> None:
    glossary = Glossary.from_mapping({"terms": [{"ko": ["왜가리"], "en": ["heron"]}]})
    async with await Store.open(tmp_path / "g.db", glossary=glossary) as store:
        await store.ingest([daily(DAY, paper("Heron Watch"))])
        assert [hit.paper.title for hit in (await store.search("왜가리")).hits] == ["Heron Watch"]
        assert (await store.search("양자화")).total == 0  # the bundled glossary is replaced


async def test_samples_across_languages(samples: Store) -> None:
    english = {hit.paper.title for hit in (await samples.search("hallucination", limit=20)).hits}
    korean = {hit.paper.title for hit in (await samples.search("환각", limit=20)).hits}
    assert english == korean  # the same concept, the same papers
    assert (await samples.search("양자화")).total >= 1  # the note writes "Quantization해서"
    assert (await samples.search("어텐션")).total >= (await samples.search("attention")).total
