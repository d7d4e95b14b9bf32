"""Per-paper notes: every sample note, fixture variants, and titles taken from file names."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.digests import note
from bot.digests.errors import DigestFormatError
from bot.digests.models import DigestKind, Document
from bot.digests.parse import parse_paths
from bot.digests.tags import TagVocabulary

from .conftest import FIXTURES, SAMPLES
from .helpers import links, present


def parse_folder(folder: Path, vocabulary: TagVocabulary) -> dict[str, Document]:
    result = parse_paths([folder], vocabulary)
    assert result.errors == []
    return {Path(document.source).name: document for document in result.documents}


def test_sample_notes(vocabulary: TagVocabulary) -> None:
    notes = parse_folder(SAMPLES / "notes", vocabulary)
    assert sorted(notes) == [  # LICENSE is skipped
        "200103 BlendMask.md",
        "230802 From Sparse to Soft Mixtures of Experts.md",
        "230803 H100 Supply and Demand.md",
        "230807 AgentBench.md",
        "230808 Shepherd.md",
        "230810 ReRoPE.md",
    ]
    table = {
        name: (
            document.kind,
            document.date,
            document.title,
            len(document.papers),
            document.papers[0].title_en,
            len(document.papers[0].authors),
            present(document.papers[0]),
            document.papers[0].tags,
            links(document.papers[0]),
        )
        for name, document in notes.items()
    }
    assert table == {
        # "Title URL" on the first line; underscore tags become dashes.
        "200103 BlendMask.md": (
            DigestKind.NOTE,
            date(2020, 1, 3),
            "BlendMask",
            1,
            "BlendMask",
            0,
            {"commentary"},
            ["1stage", "instance-segmentation", "object-detection"],
            [("paper", "https://arxiv.org/abs/2001.00309")],
        ),
        "230802 From Sparse to Soft Mixtures of Experts.md": (
            DigestKind.NOTE,
            date(2023, 8, 2),
            "From Sparse to Soft Mixtures of Experts",
            1,
            "From Sparse to Soft Mixtures of Experts",
            4,
            {"commentary"},
            ["moe"],
            [("paper", "https://arxiv.org/abs/2308.00951")],
        ),
        # No title line and no tags: the title comes from the file name.
        "230803 H100 Supply and Demand.md": (
            DigestKind.NOTE,
            date(2023, 8, 3),
            "H100 Supply and Demand",
            1,
            "H100 Supply and Demand",
            0,
            {"commentary"},
            ["hardware"],
            [("paper", "https://gpus.llm-utils.org/nvidia-h100-gpus-supply-and-demand/")],
        ),
        "230807 AgentBench.md": (
            DigestKind.NOTE,
            date(2023, 8, 7),
            "AgentBench: Evaluating LLMs as Agents",
            1,
            "AgentBench: Evaluating LLMs as Agents",
            22,
            {"commentary"},
            ["agent", "benchmark", "llm"],
            [("paper", "https://arxiv.org/abs/2308.03688")],
        ),
        "230808 Shepherd.md": (
            DigestKind.NOTE,
            date(2023, 8, 8),
            "Shepherd: A Critic for Language Model Generation",
            1,
            "Shepherd: A Critic for Language Model Generation",
            10,
            {"commentary"},
            ["alignment", "evaluation"],
            [("paper", "https://arxiv.org/abs/2308.04592")],
        ),
        # A GitHub link is code; the title is the file name without its date.
        "230810 ReRoPE.md": (
            DigestKind.NOTE,
            date(2023, 8, 10),
            "ReRoPE",
            1,
            "ReRoPE",
            0,
            {"commentary"},
            [],
            [("code", "https://github.com/bojone/rerope")],
        ),
    }


def test_sample_note_details(vocabulary: TagVocabulary) -> None:
    notes = parse_folder(SAMPLES / "notes", vocabulary)
    shepherd = notes["230808 Shepherd.md"].papers[0]
    assert shepherd.authors[0] == "Tianlu Wang"
    assert "Sean O'Brien" in shepherd.authors
    assert (shepherd.commentary or "").count("\n") == 1
    agentbench = notes["230807 AgentBench.md"]
    assert agentbench.papers[0].authors[-1] == "Jie Tang"
    assert agentbench.key == "note:arxiv:2308.03688 | 230807 AgentBench.md"
    assert (
        notes["230810 ReRoPE.md"].key == "note:https://github.com/bojone/rerope | 230810 ReRoPE.md"
    )


def test_fixture_notes(vocabulary: TagVocabulary) -> None:
    notes = parse_folder(FIXTURES / "notes", vocabulary)
    assert sorted(notes) == [  # README.md is skipped
        "240115 Title URL Note.md",
        "240116 Authors Line Note.md",
        "240117 Commentary Only.md",
    ]
    longrope = notes["240115 Title URL Note.md"].papers[0]
    assert longrope.title_en == "LongRoPE: Extending LLM Context Window Beyond 2 Million Tokens"
    assert longrope.abstract_en == (
        "Large context window is a desirable feature in large language models. "
        "We extend the context window of pre-trained LLMs to 2048k tokens."
    )
    assert longrope.commentary == "위치 보간을 비균일하게 하는 방법. 2M 토큰까지 늘렸네요."
    # "#long_context", "#RoPE" (alias) and "#Positional_Encoding" normalised and canonical.
    assert longrope.tags == ["llm", "long-context", "positional-encoding"]

    rewarding = notes["240116 Authors Line Note.md"].papers[0]
    assert rewarding.title_en == "Self-Rewarding Language Models"
    assert rewarding.authors == [
        "Weizhe Yuan",
        "Richard Yuanzhe Pang",
        "Kyunghyun Cho",
        "Jason Weston",
    ]
    assert links(rewarding) == [
        ("paper", "https://arxiv.org/abs/2401.00001"),
        ("code", "https://github.com/example/self-rewarding"),
    ]
    assert rewarding.tags == ["rl", "rlhf"]  # "#RLHF" and "#강화학습"

    blog = notes["240117 Commentary Only.md"]
    assert blog.title == "Commentary Only"
    assert blog.date == date(2024, 1, 17)
    assert blog.papers[0].tags == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("230810 ReRoPE.md", (date(2023, 8, 10), "ReRoPE")),
        ("papers/2023/230808 Shepherd.md", (date(2023, 8, 8), "Shepherd")),
        (
            "https://raw.githubusercontent.com/x/y/main/papers/230802%20From%20Sparse.md",
            (date(2023, 8, 2), "From Sparse"),
        ),
        ("231399 Bad Date.md", (None, "231399 Bad Date")),
        ("My Note.md", (None, "My Note")),
        ("240101.md", (date(2024, 1, 1), None)),
    ],
)
def test_name_parts(source: str, expected: tuple[date | None, str | None]) -> None:
    assert note.name_parts(source) == expected


def test_title_only_note_uses_the_title_line() -> None:
    document = note.parse("Attention Is All You Need\n\n좋은 논문이네요.\n#transformer\n", "x.md")
    paper = document.papers[0]
    assert (paper.title_en, paper.tags, paper.links) == (
        "Attention Is All You Need",
        ["transformer"],
        [],
    )


def test_empty_note_is_an_error() -> None:
    with pytest.raises(DigestFormatError):
        note.parse("\n\n", "240101 Empty.md")


def test_note_with_only_commentary_and_no_name_is_an_error() -> None:
    with pytest.raises(DigestFormatError) as caught:
        note.parse("\n한국어 코멘트만 있습니다.\n", "")
    assert caught.value.line == 2
