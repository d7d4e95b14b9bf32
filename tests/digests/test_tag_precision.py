"""Alert precision (issue 9): on entries people tagged by hand, paperbot keeps every tag they
gave and adds few of its own (derived from titles and summaries, not whole abstracts)."""

from __future__ import annotations

from bot.digests.models import Paper
from bot.digests.parse import paper_tags, parse_untagged, tag_agreement
from bot.digests.tags import TagVocabulary

from .conftest import SAMPLES


def _untagged(pattern: str) -> list:  # type: ignore[type-arg]
    return [
        parse_untagged(path.read_text("utf-8"), str(path))
        for path in sorted(SAMPLES.glob(pattern))
        if path.name != "LICENSE"
    ]


def test_hand_tagged_daily_entries(vocabulary: TagVocabulary) -> None:
    agreed, ours, dropped = tag_agreement(_untagged("daily-*.txt"), vocabulary)
    assert dropped == 0  # every tag people gave is kept
    assert ours > 0
    assert agreed / ours >= 0.70  # was 0.50 with tags derived from whole abstracts


def test_hand_tagged_notes(vocabulary: TagVocabulary) -> None:
    agreed, ours, dropped = tag_agreement(_untagged("notes/*"), vocabulary)
    assert dropped == 0
    assert agreed / ours >= 0.6


def test_abstract_words_do_not_make_tags(vocabulary: TagVocabulary) -> None:
    grounding = Paper(
        title_en="Grounding Objects in Images",
        abstract_en="Unlike alignment, fine-tuning, hallucination or reasoning work, we ground.",
        tags=["grounding"],
    )
    assert paper_tags(grounding, vocabulary) == ["grounding"]


def test_aliases_of_explicit_tags_resolve(vocabulary: TagVocabulary) -> None:
    paper = Paper(title_en="Something", tags=["#강화학습", "Reinforcement_Learning", "llms"])
    assert paper_tags(paper, vocabulary) == ["llm", "rl"]


def test_untagged_paper_without_a_title_tag_falls_back_to_its_abstract(
    vocabulary: TagVocabulary,
) -> None:
    paper = Paper(title_en="Something Else", abstract_en="We study jailbreak prompts.")
    assert paper_tags(paper, vocabulary) == ["jailbreak"]
