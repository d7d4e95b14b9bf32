"""Tags as users type them (issue 9): aliases, spellings, prefixes, mistyped tags; and the
strict paper lookup behind /paper show."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.digests.tags import bundled_vocabulary
from bot.store import Store

from .builders import daily, paper

DAY = dt.date(2024, 5, 14)


@pytest.fixture
async def tagged(store: Store) -> Store:
    await store.ingest(
        [
            daily(
                DAY,
                paper("Policy Paper", arxiv_id="2405.00001", tags=["rl"]),
                paper("Mamba Paper", arxiv_id="2405.00002", tags=["ssm"]),
                paper("Video Paper", tags=["tiny-birds"]),
            )
        ]
    )
    return store


@pytest.mark.parametrize(
    ("typed", "tag"),
    [
        ("tag:강화학습", "rl"),
        ("tag:#Reinforcement_Learning", "rl"),
        ("reinforcement learning", "rl"),
        ("강화 학습", "rl"),
        ("#RL", "rl"),
        ("state-space-model", "ssm"),
        ("State Space Models", "ssm"),
        ("환각", "hallucination"),
    ],
)
def test_vocabulary_resolves_what_users_type(typed: str, tag: str) -> None:
    assert bundled_vocabulary().resolve(typed) == tag


@pytest.mark.parametrize("typed", ["", "   ", "#", "tag:", "nonsense-xyz", "\ud800", "a" * 5000])
def test_vocabulary_resolve_unknown(typed: str) -> None:
    assert bundled_vocabulary().resolve(typed) is None


def test_vocabulary_nearest() -> None:
    assert bundled_vocabulary().nearest("hallucinaton")[0] == "hallucination"
    assert bundled_vocabulary().nearest("강화학") == ["rl"]
    assert bundled_vocabulary().nearest("") == []


@pytest.mark.parametrize(
    "typed", ["rl", "tag:강화학습", "tag:#Reinforcement_Learning", "reinforcement learning"]
)
async def test_search_random_and_resolve_accept_aliases(tagged: Store, typed: str) -> None:
    page = await tagged.search("paper", tag=typed)
    assert [hit.paper.title for hit in page.hits] == ["Policy Paper"]
    found = await tagged.random_paper(tag=typed)
    assert found is not None
    assert found.title == "Policy Paper"
    assert await tagged.resolve_tag(typed) == "rl"


async def test_unknown_explicit_tags_still_work(tagged: Store) -> None:
    assert await tagged.resolve_tag("#Tiny_Birds") == "tiny-birds"
    assert (await tagged.search("paper", tag="tiny birds")).total == 1


async def test_resolve_tag_needs_papers_and_suggests(tagged: Store) -> None:
    assert await tagged.resolve_tag("hallucination") is None  # in the vocabulary, no paper
    assert await tagged.resolve_tag("환각", in_use=False) == "hallucination"  # to follow
    assert await tagged.resolve_tag("nonsense-xyz", in_use=False) is None
    assert await tagged.resolve_tag("stat-space-modl") is None
    assert await tagged.nearest_tags("stat-space-modl") == ["ssm"]
    assert await tagged.nearest_tags("") == []


async def test_suggest_tags_by_alias(tagged: Store) -> None:
    assert (await tagged.suggest_tags("강화학습"))[0] == "rl"
    assert "rl" in await tagged.suggest_tags("강화")
    assert "ssm" in await tagged.suggest_tags("mamb")
    assert await tagged.suggest_tags("tiny") == ["tiny-birds"]
    assert await tagged.suggest_tags("hallucination") == []  # no paper carries it


async def test_lookup_paper_is_strict(tagged: Store) -> None:
    policy = await tagged.lookup_paper("2405.00001")
    assert policy is not None
    assert policy.title == "Policy Paper"
    by_url = await tagged.lookup_paper("https://arxiv.org/abs/2405.00002v2")
    assert by_url is not None
    assert by_url.title == "Mamba Paper"
    assert await tagged.lookup_paper(str(policy.id)) == policy
    assert await tagged.lookup_paper("Mamba Paper") == by_url
    for nothing in ["²", "¹²³", "nonexistent paper xyz", "", "99999999999999999999", "\ud800"]:
        assert await tagged.lookup_paper(nothing) is None, nothing
