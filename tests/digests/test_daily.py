"""Daily notes: both real samples entry by entry, and a fixture with every irregular entry shape."""

from __future__ import annotations

from datetime import date

import pytest

from bot.digests import daily
from bot.digests._dates import parse_date_line
from bot.digests.errors import DigestFormatError
from bot.digests.models import DigestKind, Document
from bot.digests.parse import parse_text
from bot.digests.tags import TagVocabulary

from .conftest import FIXTURES, SAMPLES
from .helpers import links, present

BOTH = {"abstract_en", "commentary"}


def parse_file(path_name: str, vocabulary: TagVocabulary, folder: str = "samples") -> Document:
    path = (SAMPLES if folder == "samples" else FIXTURES) / path_name
    return parse_text(path.read_text("utf-8"), str(path), vocabulary)


# (line, title_en, author count, fields present, tags, links) for every entry, in order.
FEB_06 = [
    (2, "Qwen 1.5", 0, {"commentary"}, ["llm"], [("code", "https://github.com/QwenLM/Qwen1.5")]),
    (
        8,
        "DeepSeekMath: Pushing the Limits of Mathematical Reasoning in Open Language Models",
        9,
        BOTH,
        ["llm", "math", "reasoning"],
        [],
    ),
    (
        15,
        "BRAIn: Bayesian Reward-conditioned Amortized Inference for natural language generation "
        "from feedback",
        9,
        BOTH,
        ["alignment", "rlhf"],
        [],
    ),
    (
        20,
        "Decoding-time Realignment of Language Models",
        10,
        BOTH,
        ["rlhf"],
        [],
    ),
    (
        25,
        "Video-LaVIT: Unified Video-Language Pre-training with Decoupled Visual-Motional "
        "Tokenization",
        12,  # "Kun Xu, Kun Xu" is listed once
        BOTH,
        # "#video-text" is an alias of "video"; the rest is explicit or derived.
        ["multimodal", "pretraining", "tokenizer", "video", "video-generation"],
        [("related", "https://video-lavit.github.io")],
    ),
    (
        33,
        "Make Every Move Count: LLM-based High-Quality RTL Code Generation Using MCTS",
        7,
        BOTH,
        ["code", "decoding", "llm", "search"],
        [],
    ),
]

MAY_09 = [
    (2, "What's up with Llama 3? Arena data analysis", 6, {"commentary"}, ["llm"], []),
    (
        9,
        "Introducing the Model Spec",
        1,
        {"commentary"},
        [],
        [("paper", "https://cdn.openai.com/spec/model-spec-2024-05-08.html")],
    ),
    (
        13,
        "You Only Cache Once: Decoder-Decoder Architectures for Language Models",
        9,
        BOTH,
        ["architecture", "efficiency"],
        [("related", "https://aka.ms/YOCO")],
    ),
    (
        19,
        "Imagine Flash: Accelerating Emu Diffusion Models with Backward Distillation",
        7,
        BOTH,
        ["diffusion", "distillation", "efficiency"],
        [],  # the arXiv links in its commentary cite other papers
    ),
    (
        24,
        "THRONE: An Object-based Hallucination Benchmark for the Free-form Generations of Large "
        "Vision-Language Models",
        7,
        BOTH,
        ["benchmark", "hallucination", "multimodal"],
        [],
    ),
]


def table(document: Document) -> list[tuple[object, ...]]:
    return [
        (p.line, p.title_en, len(p.authors), present(p), p.tags, links(p)) for p in document.papers
    ]


def test_sample_2024_02_06(vocabulary: TagVocabulary) -> None:
    document = parse_file("daily-2024-02-06.txt", vocabulary)
    assert document.kind is DigestKind.DAILY
    assert (document.title, document.date) == ("2024년 2월 6일", date(2024, 2, 6))
    assert document.key == "daily:2024-02-06"
    assert table(document) == FEB_06
    assert all(paper.title_ko is None for paper in document.papers)


def test_sample_2024_05_09(vocabulary: TagVocabulary) -> None:
    document = parse_file("daily-2024-05-09.txt", vocabulary)
    assert (document.title, document.date) == ("2024년 5월 9일", date(2024, 5, 9))
    assert table(document) == MAY_09


def test_sample_authors_are_split_on_commas(vocabulary: TagVocabulary) -> None:
    feb, may = (
        parse_file("daily-2024-02-06.txt", vocabulary),
        parse_file("daily-2024-05-09.txt", vocabulary),
    )
    deepseek = feb.papers[1]
    assert deepseek.authors[0] == "Zhihong Shao"
    assert deepseek.authors[-1] == "Daya Guo"
    assert "Y.K. Li" in deepseek.authors
    assert feb.papers[2].authors[-1] == "Ramón Fernandez Astudillo"
    assert may.papers[1].authors == ["OpenAI"]  # a single organisation is one author
    assert "C. J. Taylor" in may.papers[4].authors


def test_sample_video_lavit_stray_lines_rejoin_the_abstract(vocabulary: TagVocabulary) -> None:
    video = parse_file("daily-2024-02-06.txt", vocabulary).papers[4]
    assert video.abstract_en is not None
    assert video.abstract_en.startswith("In light of recent advances in multimodal")
    assert video.abstract_en.endswith("will be available at https://video-lavit.github.io.")
    assert video.commentary is not None
    assert video.commentary.startswith("Video-Text에 대한 Autoregressive 모델링.")


def test_sample_commentary_keeps_all_lines(vocabulary: TagVocabulary) -> None:
    feb = parse_file("daily-2024-02-06.txt", vocabulary)
    qwen = feb.papers[0]
    assert qwen.commentary is not None
    assert qwen.commentary.count("\n") == 2
    assert qwen.commentary.endswith("Long Context/RAG에 대한 튜닝도 포함되지 않았을까요.")
    make_every_move = feb.papers[5]
    assert make_every_move.commentary is not None
    assert "(https://arxiv.org/abs/2309.15028)" in make_every_move.commentary


def test_variants_recover_every_entry(vocabulary: TagVocabulary) -> None:
    document = parse_file("daily-2024-06-01-variants.txt", vocabulary, folder="fixtures")
    assert document.date == date(2024, 6, 1)
    assert document.title == "2024-06-01"
    assert [
        (p.line, p.title_en, p.authors, present(p), p.tags, links(p)) for p in document.papers
    ] == [
        # URL line instead of authors; three spellings of one tag.
        (
            2,
            "Scaling Reinforcement Learning for Reasoning",
            [],
            {"commentary"},
            ["reasoning", "rl"],
            [("paper", "https://arxiv.org/abs/2406.00001")],
        ),
        # No abstract, no tags, "and" before the last author.
        (
            6,
            "A Survey Without Abstract",
            ["Alice Kim", "Bob Lee", "Carol Park"],
            {"commentary"},
            [],
            [],
        ),
        # Bold title, GitHub as the main link, stray lines inside the abstract.
        (
            10,
            "CodeAgent: Tool-Using Agents for Repositories",
            ["Dana Choi", "Evan Jung"],
            BOTH,
            ["agent", "code"],
            [
                ("code", "https://github.com/example/codeagent"),
                ("related", "https://codeagent.example.org"),
            ],
        ),
        # Neither authors, links nor abstract; an underscore tag.
        (19, "Title-only Entry With Commentary", [], {"commentary"}, ["misc-topic"], []),
        # A single organisation, a non-arXiv main link, no tags.
        (
            22,
            "Introducing a Frontier Model",
            ["OpenAI"],
            {"commentary"},
            [],
            [("paper", "https://openai.com/index/frontier-model/")],
        ),
        # Starts right after a tagless entry's commentary, with a URL and no authors.
        (
            26,
            "Entry With URL And No Authors",
            [],
            {"commentary"},
            ["rlhf"],
            [("paper", "https://huggingface.co/papers/2406.00002")],
        ),
        # Only an abstract; the next entry starts inside it (an authors line follows its title).
        (30, "An Abstract-only Entry", ["Frank Oh"], {"abstract_en"}, [], []),
        (
            33,
            "Next Entry After An Abstract",
            ["Grace Han", "Henry Yoo"],
            BOTH,
            [],
            [],
        ),
        # Cut off after the title.
        (38, "Cut Off Entry At The End", [], set(), [], []),
    ]
    codeagent = document.papers[2]
    assert codeagent.abstract_en == (
        "We present CodeAgent, an agent that uses tools to edit repositories. "
        "Code is available at https://codeagent.example.org."
    )


def test_without_a_date_line_the_file_name_dates_it() -> None:
    text = "Some Paper Title\n(A Author, B Author)\n한국어 코멘트입니다.\n#llm\n"
    document = daily.parse(text, "notes/daily-2024-03-01.txt")
    assert document.date == date(2024, 3, 1)
    assert [paper.title for paper in document.papers] == ["Some Paper Title"]


def test_a_date_and_nothing_else_is_an_error() -> None:
    with pytest.raises(DigestFormatError) as caught:
        daily.parse("2024년 2월 6일\n\n", "d.txt")
    assert caught.value.line == 1


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2024년 2월 6일", date(2024, 2, 6)),
        ("2024년 12월 31일 (화)", date(2024, 12, 31)),
        ("2024-02-06", date(2024, 2, 6)),
        ("2024.2.6", date(2024, 2, 6)),
        ("2024년 2월 30일", None),
        ("[2024/05/13 ~ 05/19] 이번 주의 주요 ML 논문", None),
        ("Qwen 1.5", None),
    ],
)
def test_parse_date_line(line: str, expected: date | None) -> None:
    assert parse_date_line(line) == expected
