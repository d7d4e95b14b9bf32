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


# --- reviews: notes about several papers -----------------------------------------------------

_SINGLE = (
    "https://arxiv.org/abs/2307.05695\n\n"
    "Stack More Layers Differently: High-Rank Training Through Low-Rank Updates (A, B)\n\n"
    "lora로 scratch에서부터 학습시키는 방법.\n\n"
    "https://arxiv.org/abs/2108.06098\n\n"
    "hadamard product로 rank를 늘리는 방법 (https://arxiv.org/abs/2111.00001)도 나왔던데.\n\n"
    "#efficient_training #review\n"
)


def test_a_paper_note_citing_other_papers_stays_that_paper() -> None:
    # One link in its header; the later link line and the #review tag (a survey paper's
    # tag in these notes) do not make it a review.
    document = note.parse(_SINGLE, "230711 Stack More Layers Differently.md")
    (paper,) = document.papers
    assert not paper.review
    assert paper.identity == "arxiv:2307.05695"
    assert document.key == "note:arxiv:2307.05695 | 230711 Stack More Layers Differently.md"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (  # several links in the header
            "230221 Anthropic.md",
            "https://arxiv.org/abs/2212.08073\nhttps://arxiv.org/abs/2302.07459\n\n"
            "최근에 Anthropic 쪽에서 나온 논문 중 눈에 띄었던 것 몇 편.\n",
        ),
        (  # one paper per "Title URL" line
            "200129 LM Pretraining.md",
            "SpanBERT https://arxiv.org/abs/1907.10529\nALBERT https://arxiv.org/abs/1909.11942\n"
            "\n#pretraining\n",
        ),
        (  # prose first, citing two papers
            "191210 Object detection.md",
            "최근에 object detection에서 재미있는 결과들이 좀 있었다.\n"
            "1. Bridging the Gap https://arxiv.org/abs/1912.02424\n"
            "2. Multiple Anchor Learning https://arxiv.org/abs/1912.02252\n",
        ),
        (  # the title says so, even with a single link
            "210424 Thoughts on recent papers.md",
            "https://arxiv.org/abs/2104.11222\n어떻게 보면 생각보다 알려지지 않은 이슈.\n",
        ),
        (  # links shared through a redirect count by their arXiv id
            "230518 구글 달리기.md",
            "구글이 달리기 시작했네.\n\n"
            "https://l.facebook.com/l.php?u=https%3A%2F%2Farxiv.org%2Fabs%2F2305.10429\n\n"
            "도메인 비율을 결정하는 방법.\n\nhttps://arxiv.org/abs/2305.10425\n",
        ),
    ],
)
def test_a_note_about_several_papers_is_a_review(name: str, text: str) -> None:
    document = note.parse(text, f"papers/2023/{name}")
    (review,) = document.papers
    assert review.review
    assert document.is_review
    assert review.arxiv_id is None  # its links are the papers it discusses
    assert review.identity.startswith("review:")
    assert review.title == name[7:-3]  # titled by its file name, not its first paper
    assert review.authors == []
    assert document.key == f"note:name:{name}"  # keyed like a link-less note, by name
    assert len(review.links) >= 1
    assert review.commentary is not None  # the whole text, every paper it names included
    assert name != "200129 LM Pretraining.md" or review.commentary.startswith("SpanBERT")


def test_a_leading_url_is_the_notes_own_link() -> None:
    document = note.parse(
        "https://arxiv.org/abs/1907.11692 얼마 전에 리더보드에 등장했던 RoBERTa가 공개됐다."
        " SpanBERT(https://arxiv.org/abs/1907.10529)도.\n\n#pretraining\n",
        "190729 RoBERTa.md",
    )
    (paper,) = document.papers
    assert not paper.review
    assert paper.identity == "arxiv:1907.11692"
    assert paper.title == "RoBERTa"
    assert paper.commentary is not None
    assert paper.commentary.startswith("얼마 전에")
