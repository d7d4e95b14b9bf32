"""Section headers of an entry (``bot.digests._sections``): which words start which section."""

from __future__ import annotations

import pytest

from bot.digests._sections import Section, section_of, split_header


@pytest.mark.parametrize(
    ("line", "section"),
    [
        ("소개", Section.SUMMARY),
        ("논문 소개", Section.SUMMARY),
        ("Paper Summary", Section.SUMMARY),
        ("개요", Section.SUMMARY),
        ("📄 논문 소개", Section.SUMMARY),
        ("논문 초록 (Abstract)", Section.ABSTRACT),
        ("논문 초록(Abstract)", Section.ABSTRACT),
        ("Abstract", Section.ABSTRACT),
        ("논문 링크", Section.PAPER_LINKS),
        ("Paper Link", Section.PAPER_LINKS),
        ("관련 링크", Section.RELATED_LINKS),
        ("더 읽어보기", Section.MORE_LINKS),
        ("Read more", Section.MORE_LINKS),
        ("코드", Section.CODE_LINKS),
        ("주요 메시지", Section.COMMENTARY),
        ("Key messages", Section.COMMENTARY),
        ("핵심", Section.COMMENTARY),
        ("실험 결과", Section.OTHER),
        ("원문", Section.END),
        ("논문 소개 / Paper Summary", Section.SUMMARY),
    ],
)
def test_section_of(line: str, section: Section) -> None:
    assert section_of(line) is section


@pytest.mark.parametrize(
    "line",
    ["GPT-4o", "Veo", "논문 소개를 마칩니다", "WavCraft: 대규모 언어 모델", "x" * 500, ""],
)
def test_section_of_rejects_other_lines(line: str) -> None:
    assert section_of(line) is None


def test_split_header_with_content_on_the_same_line() -> None:
    assert split_header("논문 링크: https://arxiv.org/abs/1") == (
        Section.PAPER_LINKS,
        "https://arxiv.org/abs/1",
    )
    assert split_header("관련 링크 https://a.example/b") == (
        Section.RELATED_LINKS,
        "https://a.example/b",
    )
    assert split_header("https://arxiv.org/abs/1") is None
    assert split_header("WavCraft: Audio Editing") is None


@pytest.mark.parametrize(
    ("line", "section"),
    [
        ("코드 저장소", Section.CODE_LINKS),
        ("GitHub Repo", Section.CODE_LINKS),
        ("💻 Code & Data", Section.CODE_LINKS),
        ("공식 코드", Section.CODE_LINKS),
        ("데이터셋", Section.RELATED_LINKS),
        ("Models", None),
        ("CodeGemma", None),
        ("Code Llama and the Data", None),  # "llama" is no header word
    ],
)
def test_link_headers_made_of_link_words(line: str, section: Section | None) -> None:
    assert section_of(line) is section
