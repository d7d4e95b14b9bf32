"""The parsers' small predicates: language, titles, authors, URLs, links and markup."""

from __future__ import annotations

import pytest

from bot.digests._markdown import normalise
from bot.digests._text import (
    authors_line,
    find_urls,
    is_korean,
    is_tag_line,
    looks_like_title,
    split_bilingual_title,
    split_title_authors,
    split_title_url,
    url_only,
)
from bot.digests.links import classify_url, github_text_links
from bot.digests.models import LinkKind


@pytest.mark.parametrize(
    ("text", "korean"),
    [
        (
            "Causal Masking과 Efficient Attention을 사용해 디코더의 절반을 인코더처럼 만듭니다.",
            True,
        ),
        ("RLHF 학습 과정에서 KL Penalty 계수를 바꿨을 때의 결과를 알 수 있을까?", True),
        ("A lightweight transformer decoder model with a 2M context window.", False),
        ("We evaluate on 한국어 benchmarks among many other languages and tasks.", False),
        ("https://arxiv.org/abs/2309.15028 에 대한 Distillation.", True),
        ("", False),
    ],
)
def test_is_korean(text: str, korean: bool) -> None:
    assert is_korean(text) is korean


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("GPT-4o", True),
        ("Does Fine-Tuning LLMs on New Knowledge Encourage Hallucinations?", True),
        ("LLMs vs. Humans: A Study", True),
        ("Llama 3.1 Technical Report", True),
        ("한 번만 캐시합니다: 언어 모델용 디코더-디코더 아키텍처 / You Only Cache Once", True),
        ("A paragraph that ends like a sentence.", False),
        ("Leverages LLMs to connect models; decomposes instructions into tasks", False),
        ("모델입니다. 또한 좋습니다", False),
        ("We present CodeAgent, an agent. Code is available at", False),
        ("https://arxiv.org/abs/2403.09527", False),
        ("GitHub - RLHFlow/Online-RLHF: A recipe", False),
        ("x" * 301, False),
        ("🔥🔥", False),
    ],
)
def test_looks_like_title(text: str, title: bool) -> None:
    assert looks_like_title(text) is title


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("제미나이 1.5 플래시 / Gemini 1.5 Flash", ("제미나이 1.5 플래시", "Gemini 1.5 Flash")),
        ("Mixture of Experts / 전문가 혼합", ("전문가 혼합", "Mixture of Experts")),
        ("Input / Output Models", (None, "Input / Output Models")),
        ("입력 / 출력", ("입력 / 출력", None)),
        ("GPT-4o", (None, "GPT-4o")),
        ("환각을 줄이는 방법", ("환각을 줄이는 방법", None)),
        (
            "WavCraft: 오디오 편집 / WavCraft: Audio Editing",
            ("WavCraft: 오디오 편집", "WavCraft: Audio Editing"),
        ),
        ("Chameleon / Chameleon", (None, "Chameleon")),  # one title typed twice
        ("Chameleon /  chameleon", (None, "Chameleon")),
        ("카멜레온 / 카멜레온", ("카멜레온", None)),
        ("A / B / A", (None, "A / B / A")),
    ],
)
def test_split_bilingual_title(text: str, expected: tuple[str | None, str | None]) -> None:
    assert split_bilingual_title(text) == expected


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("(Zhihong Shao, Peiyi Wang, Y.K. Li)", ["Zhihong Shao", "Peiyi Wang", "Y.K. Li"]),
        ("(OpenAI)", ["OpenAI"]),
        ("(Alice Kim, Bob Lee, and Carol Park)", ["Alice Kim", "Bob Lee", "Carol Park"]),
        ("(Alice Kim, Bob Lee", ["Alice Kim", "Bob Lee"]),  # cut off
        ("(Alice Kim, Bob Lee, Alice Kim, alice  kim)", ["Alice Kim", "Bob Lee"]),  # repeated
        ("(이것은 한국어)", None),
        ("(https://arxiv.org/abs/1)", None),
        ("(see (nested))", None),
        ("Not in parentheses", None),
        ("(unfinished", None),
    ],
)
def test_authors_line(line: str, authors: list[str] | None) -> None:
    assert authors_line(line) == authors


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Shepherd: A Critic (Tianlu Wang, Ping Yu)",
            ("Shepherd: A Critic", ["Tianlu Wang", "Ping Yu"]),
        ),
        ("Proximal Policy Optimization (PPO)", ("Proximal Policy Optimization (PPO)", [])),
        ("GPT-4 (OpenAI)", ("GPT-4 (OpenAI)", [])),
        ("A (B (C, D))", ("A (B (C, D))", [])),
        ("No parentheses", ("No parentheses", [])),
    ],
)
def test_split_title_authors(line: str, expected: tuple[str, list[str]]) -> None:
    assert split_title_authors(line) == expected


def test_split_title_url() -> None:
    assert split_title_url("BlendMask https://arxiv.org/abs/2001.00309") == (
        "BlendMask",
        "https://arxiv.org/abs/2001.00309",
    )
    assert split_title_url("Title: https://a.example/x") == ("Title", "https://a.example/x")
    assert split_title_url("https://a.example/x") == ("https://a.example/x", None)
    assert split_title_url("Just a title") == ("Just a title", None)


@pytest.mark.parametrize(
    ("line", "url"),
    [
        ("https://arxiv.org/abs/1", "https://arxiv.org/abs/1"),
        ("<https://arxiv.org/abs/1>", "https://arxiv.org/abs/1"),
        ("(https://arxiv.org/abs/1).", "https://arxiv.org/abs/1"),
        ("https://video-lavit.github.io.", "https://video-lavit.github.io"),
        ("https://en.wikipedia.org/wiki/Foo_(bar)", "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ("see https://arxiv.org/abs/1", None),
        ("not a url", None),
    ],
)
def test_url_only(line: str, url: str | None) -> None:
    assert url_only(line) == url


def test_find_urls_trims_punctuation_and_korean_particles() -> None:
    text = "Emu (https://arxiv.org/abs/2309.15807) 에 대한, https://cat3d.github.io)를 보세요."
    assert find_urls(text) == ["https://arxiv.org/abs/2309.15807", "https://cat3d.github.io"]


@pytest.mark.parametrize(
    ("line", "tags"),
    [
        ("#llm", True),
        ("#math #llm", True),
        ("#a, #b", True),
        ("# Heading", False),
        ("#llm is great", False),
        ("", False),
    ],
)
def test_is_tag_line(line: str, tags: bool) -> None:
    assert is_tag_line(line) is tags


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://arxiv.org/abs/2403.09527v3", LinkKind.PAPER),
        ("https://arxiv.org/pdf/2403.09527", LinkKind.PAPER),
        ("https://openreview.net/forum?id=x", LinkKind.PAPER),
        ("https://aclanthology.org/2024.acl-long.1/", LinkKind.PAPER),
        ("https://doi.org/10.1000/182", LinkKind.PAPER),
        ("https://example.org/paper.pdf", LinkKind.PAPER),
        ("https://huggingface.co/papers/2406.00002", LinkKind.PAPER),
        ("https://github.com/QwenLM/Qwen1.5", LinkKind.CODE),
        ("https://www.github.com/a/b/tree/main", LinkKind.CODE),
        ("https://github.com/QwenLM", LinkKind.MORE),  # a profile, not a repository
        ("https://video-lavit.github.io", LinkKind.MORE),  # a project page
        ("https://x.com/a/status/1", LinkKind.MORE),
    ],
)
def test_classify_url(url: str, kind: LinkKind) -> None:
    assert classify_url(url, LinkKind.MORE) is kind


def test_github_text_links() -> None:
    text = (
        "GitHub - RLHFlow/RLHF-Reward-Modeling: A recipe for RLHF.GitHub - RLHFlow/Online-RLHF: "
        "A recipe. (GitHub - JinhuaLiang/WavCraft: Official repo) GitHub - a/b.git"
    )
    assert github_text_links(text) == [
        "https://github.com/RLHFlow/RLHF-Reward-Modeling",
        "https://github.com/RLHFlow/Online-RLHF",
        "https://github.com/JinhuaLiang/WavCraft",
        "https://github.com/a/b",
    ]


@pytest.mark.parametrize(
    ("raw", "text", "urls"),
    [
        ("### 논문 소개", "논문 소개", []),
        (
            "- **논문 링크**: [arXiv](https://arxiv.org/abs/1)",
            "논문 링크: arXiv",
            ["https://arxiv.org/abs/1"],
        ),
        ("* [https://x.com/a](https://x.com/a)", "https://x.com/a", ["https://x.com/a"]),
        ("![image|690x388](upload://abc.png)", "", []),
        ('<a href="https://a.example/b">Blog</a> post', "Blog post", ["https://a.example/b"]),
        ("• 특히 *중요한* 논문 &amp; 코드", "특히 중요한 논문 & 코드", []),
        ("> quoted   text", "quoted text", []),
        ("---", "", []),
        ("1. GPT-4o", "GPT-4o", []),
        ("1.5 Flash", "1.5 Flash", []),
        (  # emphasis around a URL is markup; inside it, it is the URL
            "see **https://x.com/a__b/status/1** and _https://e.org/x_y_",
            "see https://x.com/a__b/status/1 and _https://e.org/x_y_",
            ["https://x.com/a__b/status/1", "https://e.org/x_y_"],  # single _ is left alone
        ),
        ("\ue0000\ue001 *x*", "0 x", []),  # no forged placeholder
    ],
)
def test_markdown_normalise(raw: str, text: str, urls: list[str]) -> None:
    line = normalise(1, raw)
    assert (line.text, line.urls) == (text, urls)
