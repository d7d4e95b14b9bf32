"""Issue 17, related papers: reasons name distinctive words only (never commentary fillers or
Korean sentence endings), and a paper's neighbours by a rare tag are found even when the text
finds enough other papers. Built from hand-made documents (``tests/store/builders``)."""

from __future__ import annotations

import datetime as dt

from bot.store import Store

from .builders import arxiv, daily, paper

DAY = dt.date(2024, 5, 14)
GENERIC = {"나왔군요", "모양입니다", "그냥", "논문", "various", "number", "approach"}


def _filler(i: int) -> str:
    return f"그냥 이런 논문이 나왔군요. 잘 되는 모양입니다. various number approach {i}"


async def test_reasons_never_name_fillers_or_sentence_endings(store: Store) -> None:
    target = paper(
        "SAE",
        commentary=_filler(0) + " " + _filler(0) + " 희소 오토인코더.",
        tags=["interpretability"],
    )
    # share only the fillers with the target
    chatty = [paper(f"Unrelated {i}", commentary=_filler(i)) for i in range(1, 4)]
    close = paper(
        "Scaling Up",
        commentary="희소 오토인코더를 키움.",
        tags=["interpretability"],
    )
    others = [paper(f"Other topic {i}", abstract_en=f"speech recognition {i}") for i in range(8)]
    report = await store.ingest([daily(DAY, target, close, *chatty, *others)])
    target_id, close_id, *chatty_ids = report.new_paper_ids[:5]
    hits = await store.related(target_id)
    assert hits[0].paper_id == close_id
    assert not set(chatty_ids) & {hit.paper_id for hit in hits}
    for hit in hits:
        assert not GENERIC & set(hit.words), hit


async def test_neighbours_by_a_rare_tag_are_found_though_text_finds_enough(store: Store) -> None:
    target = paper(
        "Mamba: Linear-Time Sequence Modeling",
        abstract_en="Selective state spaces for long sequences with linear time.",
        tags=["ssm"],
    )
    # share the wording, not the tag
    wordy = [
        paper(f"Long sequences {i}", abstract_en=f"Linear time methods for long sequences {i}.")
        for i in range(8)
    ]
    # share the (rare) tag, not the wording
    tagged = [
        paper(
            f"S4 variant {i}",
            abstract_en="Convolution kernels for audio.",
            tags=["ssm"],
        )
        for i in range(2)
    ]
    common = [paper(f"Filler {i}", abstract_en="vision", tags=["vision"]) for i in range(20)]
    report = await store.ingest([daily(DAY, target, *wordy, *tagged, *common)])
    ids = report.new_paper_ids
    tagged_ids = set(ids[9:11])
    hits = await store.related(ids[0], limit=5)
    assert tagged_ids <= {hit.paper_id for hit in hits}
    for hit in hits:
        if hit.paper_id in tagged_ids:
            assert hit.reasons[0] == "#ssm"


async def test_reviews_are_never_related(store: Store) -> None:
    # a note about several papers shares everything with each of them, and is none of them
    target = paper("Mamba", abstract_en="Selective state spaces for long sequences.", tags=["ssm"])
    review = paper(
        "Thoughts on recent papers",
        abstract_en="Selective state spaces for long sequences, and more state spaces.",
        tags=["ssm"],
        review=True,
    )
    other = paper("S5", abstract_en="Simplified state spaces for long sequences.", tags=["ssm"])
    report = await store.ingest([daily(DAY, target, review, other)])
    target_id, review_id, other_id = report.new_paper_ids
    hits = [hit.paper_id for hit in await store.related(target_id)]
    assert other_id in hits
    assert review_id not in hits


async def test_papers_a_review_links_to_come_first(store: Store) -> None:
    # a review shares its one tag with surveys that share nothing else with it; the papers it
    # discusses (its arXiv links) are what a reader of it wants
    entries = [
        paper(f"Entry {i}", arxiv_id=f"2401.0000{i}", abstract_en=f"Topic {i} results.")
        for i in range(3)
    ]
    surveys = [
        paper(f"A Survey {i}", abstract_en="Overview of many methods.", tags=["review"])
        for i in range(4)
    ]
    review = paper(
        "Thoughts on recent papers",
        commentary="Three papers this week, with many methods.",
        links=[arxiv(f"2401.0000{i}") for i in range(3)],
        tags=["review"],
        review=True,
    )
    report = await store.ingest([daily(DAY, *entries, *surveys, review)])
    entry_ids = report.new_paper_ids[:3]
    review_id = report.new_paper_ids[-1]
    hits = [hit.paper_id for hit in await store.related(review_id)]
    assert set(hits[:3]) == set(entry_ids)
