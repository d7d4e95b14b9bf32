"""The real sample digests, parsed by the real parsers, through the store."""

from __future__ import annotations

from pathlib import Path

import pytest

import bot
from bot.digests.models import DigestKind
from bot.store import IngestStatus, Store

parse = pytest.importorskip("bot.digests.parse")
tags = pytest.importorskip("bot.digests.tags")

SAMPLES = Path(bot.__file__).parent / "sample_digests"


@pytest.fixture
async def samples(store: Store) -> Store:
    result = parse.parse_paths([SAMPLES], tags.load_vocabulary())
    assert result.errors == []
    report = await store.ingest(result.documents)
    assert report.failed == 0
    assert report.new == len(result.documents)
    return store


async def test_counts(samples: Store) -> None:
    stats = await samples.stats()
    assert stats.documents == {DigestKind.WEEKLY: 1, DigestKind.DAILY: 2, DigestKind.NOTE: 6}
    assert stats.mentions == 27
    assert stats.papers == 26  # YOCO is in the weekly issue and in a daily digest


async def test_paper_in_weekly_and_daily_is_one_paper(samples: Store) -> None:
    page = await samples.search("You Only Cache Once")
    assert page.total == 1
    yoco = page.hits[0].paper
    assert {m.kind for m in yoco.mentions} == {DigestKind.WEEKLY, DigestKind.DAILY}
    assert yoco.title_ko is not None  # from the weekly
    assert yoco.authors  # from the daily


async def test_searches_over_real_text(samples: Store) -> None:
    hallucination = (await samples.search("환각")).hits
    assert any("Hallucinations" in hit.paper.title for hit in hallucination)
    assert (await samples.search("hallucination")).total >= 1
    assert (await samples.search("Shepherd critic")).hits[0].paper.arxiv_id == "2308.04592"
    assert (await samples.search("제미나이")).hits[0].paper.title == "Gemini 1.5 Flash"
    assert (await samples.search("tokenizer transfer")).total >= 1
    assert (await samples.search("DeepSeekMath")).total >= 1
    assert (await samples.search("Ramon Fernandez Astudillo")).total == 1  # Ramón in the text


async def test_issues_and_tags(samples: Store) -> None:
    [latest] = await samples.latest_issues(limit=1)
    assert latest.key == "weekly:2024-05-13"
    assert latest.paper_count == 10
    weekly_papers = await samples.issue_papers(latest.id)
    assert weekly_papers[0].title == "GPT-4o"
    counts = dict(await samples.tag_counts())
    assert counts["llm"] >= 5
    found = await samples.random_paper(tag="llm")
    assert found is not None
    assert "llm" in found.tags


async def test_reingesting_samples_changes_nothing(samples: Store) -> None:
    result = parse.parse_paths([SAMPLES], tags.load_vocabulary())
    report = await samples.ingest(result.documents)
    assert {o.status for o in report.documents} == {IngestStatus.UNCHANGED}
    assert (await samples.stats()).papers == 26
