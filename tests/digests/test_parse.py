"""Entry points: format detection, tagging, and folder parsing that never raises for bad files."""

from __future__ import annotations

import codecs
import shutil
import time
from pathlib import Path

import pytest

from bot.digests import parse as parse_module
from bot.digests.errors import DigestFormatError
from bot.digests.models import DigestKind, Document
from bot.digests.parse import (
    detect_kind,
    iter_digest_files,
    parse_bytes,
    parse_file,
    parse_paths,
    parse_text,
)
from bot.digests.tags import TagVocabulary

from .conftest import FIXTURES, SAMPLES

WEEKLY = (SAMPLES / "weekly-2024-05-13.txt").read_text("utf-8")
DAILY = (SAMPLES / "daily-2024-02-06.txt").read_text("utf-8")
NOTE = (SAMPLES / "notes" / "230808 Shepherd.md").read_text("utf-8")


# --- detection --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (SAMPLES / "weekly-2024-05-13.txt", DigestKind.WEEKLY),
        (SAMPLES / "daily-2024-02-06.txt", DigestKind.DAILY),
        (SAMPLES / "daily-2024-05-09.txt", DigestKind.DAILY),
        (SAMPLES / "notes" / "200103 BlendMask.md", DigestKind.NOTE),
        (SAMPLES / "notes" / "230803 H100 Supply and Demand.md", DigestKind.NOTE),
        (SAMPLES / "notes" / "230810 ReRoPE.md", DigestKind.NOTE),
        (FIXTURES / "weekly-2026-variants.txt", DigestKind.WEEKLY),
        (FIXTURES / "weekly-2024-12-30-markdown.md", DigestKind.WEEKLY),
        (FIXTURES / "daily-2024-06-01-variants.txt", DigestKind.DAILY),
        (FIXTURES / "notes" / "240115 Title URL Note.md", DigestKind.NOTE),
    ],
)
def test_detect_kind(path: Path, kind: DigestKind) -> None:
    assert detect_kind(path.read_text("utf-8"), str(path)) is kind


def test_detect_weekly_without_its_title_by_its_sections() -> None:
    body = WEEKLY.split("\n", 4)[4]  # drop the title lines, as the forum's raw markdown does
    assert detect_kind(body, "https://discuss.pytorch.kr/raw/1234") is DigestKind.WEEKLY


def test_detect_daily_without_a_date_by_authors_and_tags() -> None:
    body = DAILY.split("\n", 1)[1]
    assert detect_kind(body, "daily.txt") is DigestKind.DAILY


def test_detect_note_by_its_file_name() -> None:
    assert detect_kind("그냥 코멘트.\n", "papers/2023/230810 Something.md") is DigestKind.NOTE


@pytest.mark.parametrize(
    "text",
    [(SAMPLES / "notes" / "LICENSE").read_text("utf-8"), "Just some text.\nNothing else.\n"],
)
def test_detect_nothing(text: str) -> None:
    assert detect_kind(text, "x.txt") is None


# --- parse_text -------------------------------------------------------------------------------


def test_parse_text_sets_sorted_unique_canonical_tags(vocabulary: TagVocabulary) -> None:
    text = "2024-06-01\nSome Title\n(A, B)\n코멘트입니다.\n#RL #rl #강화학습 #Zeta #alpha_beta\n"
    document = parse_text(text, "d.txt", vocabulary)
    assert document.papers[0].tags == ["alpha-beta", "rl", "zeta"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "empty"),
        ("\n\n   \n", 1, "empty"),
        ("\n\nJust some text.\n", 3, "unrecognised format"),
        ("[2024/05/13 ~ 05/19] 이번 주의 주요 ML 논문\n\n본문만 있습니다.\n", 3, "no paper"),
    ],
)
def test_parse_text_errors(vocabulary: TagVocabulary, text: str, line: int, message: str) -> None:
    with pytest.raises(DigestFormatError, match=message) as caught:
        parse_text(text, "x.txt", vocabulary)
    assert caught.value.line == line


def test_parse_text_accepts_crlf_strings(vocabulary: TagVocabulary) -> None:
    document = parse_text(DAILY.replace("\n", "\r\n"), "d.txt", vocabulary)
    assert len(document.papers) == 6


# --- files and folders ------------------------------------------------------------------------


def test_iter_digest_files_walks_sorted_and_skips(tmp_path: Path) -> None:
    for name in [
        "b.md",
        "a.txt",
        "c.markdown",
        "d.json",
        "LICENSE",
        "LICENSE.md",
        "README.md",
        ".hidden.md",
        "sub/e.md",
        ".git/f.md",
        "sub/.cache/g.md",
    ]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", "utf-8")
    explicit = tmp_path / "d.json"
    files = iter_digest_files([tmp_path, explicit, tmp_path / "a.txt"])
    assert [path.relative_to(tmp_path).as_posix() for path in files] == [
        "a.txt",
        "b.md",
        "c.markdown",
        "d.json",  # named explicitly, so included
        "sub/e.md",
    ]


def test_parse_paths_on_all_samples(vocabulary: TagVocabulary) -> None:
    result = parse_paths([SAMPLES], vocabulary)
    assert result.errors == []
    counts = {Path(d.source).name: (d.kind, len(d.papers)) for d in result.documents}
    assert counts == {
        "daily-2024-02-06.txt": (DigestKind.DAILY, 6),
        "daily-2024-05-09.txt": (DigestKind.DAILY, 5),
        "200103 BlendMask.md": (DigestKind.NOTE, 1),
        "230802 From Sparse to Soft Mixtures of Experts.md": (DigestKind.NOTE, 1),
        "230803 H100 Supply and Demand.md": (DigestKind.NOTE, 1),
        "230807 AgentBench.md": (DigestKind.NOTE, 1),
        "230808 Shepherd.md": (DigestKind.NOTE, 1),
        "230810 ReRoPE.md": (DigestKind.NOTE, 1),
        "weekly-2024-05-13.txt": (DigestKind.WEEKLY, 10),
    }
    sources = [d.source for d in result.documents]
    assert sources == sorted(sources)


def test_same_paper_in_weekly_and_daily_has_one_identity(vocabulary: TagVocabulary) -> None:
    result = parse_paths([SAMPLES], vocabulary)
    yoco = [
        paper
        for document in result.documents
        for paper in document.papers
        if paper.title_en and paper.title_en.startswith("You Only Cache Once")
    ]
    assert len(yoco) == 2
    assert yoco[0].identity == yoco[1].identity


# --- hostile input ----------------------------------------------------------------------------


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A folder mixing good digests with every kind of bad file."""
    shutil.copy(SAMPLES / "weekly-2024-05-13.txt", tmp_path / "good-weekly.txt")
    shutil.copy(SAMPLES / "notes" / "230808 Shepherd.md", tmp_path / "230808 Shepherd.md")
    write(tmp_path, "empty.txt", b"")
    write(tmp_path, "blank.md", b"\n \n\t\n")
    write(tmp_path, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    write(tmp_path, "garbage.md", b"Just some words.\nNothing that is a digest.\n")
    write(tmp_path, "crlf-daily.txt", DAILY.replace("\n", "\r\n").encode("utf-8"))
    write(tmp_path, "cp949-daily.txt", DAILY.encode("cp949", errors="replace"))
    write(tmp_path, "utf16-weekly.txt", WEEKLY.encode("utf-16"))
    write(tmp_path, "bom-weekly.txt", codecs.BOM_UTF8 + WEEKLY.encode("utf-8"))
    latin = "2024-02-06\nDéjà Vu in Naïve Café Models\n(Benoît Sagot, José García)\n#llm\n"
    write(tmp_path, "latin1-daily.txt", latin.encode("latin-1"))
    cut = WEEKLY.encode("utf-8")[: len(WEEKLY.encode("utf-8")) // 2 + 1]  # mid-character
    write(tmp_path, "cut-weekly.txt", cut)
    return tmp_path


def test_parse_paths_survives_hostile_files(vocabulary: TagVocabulary, hostile: Path) -> None:
    result = parse_paths([hostile], vocabulary)
    errors = {Path(error.source).name: (error.line, error.message) for error in result.errors}
    assert set(errors) == {"empty.txt", "blank.md", "binary.txt", "garbage.md"}
    assert errors["empty.txt"][0] == 1
    assert errors["blank.md"][0] == 1
    assert errors["binary.txt"][0] == 3  # the first NUL byte is on line 3
    assert "binary" in errors["binary.txt"][1]
    assert errors["garbage.md"][0] == 1
    assert "unrecognised format" in errors["garbage.md"][1]
    assert all(error.source.startswith(str(hostile)) for error in result.errors)

    documents = {Path(d.source).name: d for d in result.documents}
    assert sorted(documents) == [
        "230808 Shepherd.md",
        "bom-weekly.txt",
        "cp949-daily.txt",
        "crlf-daily.txt",
        "cut-weekly.txt",
        "good-weekly.txt",
        "latin1-daily.txt",
        "utf16-weekly.txt",
    ]
    good = documents["good-weekly.txt"]
    for name in ["bom-weekly.txt", "utf16-weekly.txt"]:
        assert documents[name].papers == good.papers
    daily_titles = [p.title for p in parse_text(DAILY, "d", vocabulary).papers]
    for name in ["crlf-daily.txt", "cp949-daily.txt"]:
        assert [p.title for p in documents[name].papers] == daily_titles
    assert documents["cp949-daily.txt"].papers[0].commentary == (
        parse_text(DAILY, "d", vocabulary).papers[0].commentary
    )
    latin = documents["latin1-daily.txt"].papers[0]
    assert (latin.title_en, latin.authors) == (
        "Déjà Vu in Naïve Café Models",
        ["Benoît Sagot", "José García"],
    )
    # Cut off halfway: the papers before the cut, and the partial last one.
    cut_titles = [p.title_en for p in documents["cut-weekly.txt"].papers]
    assert cut_titles == [p.title_en for p in good.papers[: len(cut_titles)]]
    assert 4 <= len(cut_titles) < 10


def assert_prefix_of(recovered: list[str], whole: list[str]) -> None:
    """Papers up to the cut come back whole; the last one may have a cut-off title."""
    assert 1 <= len(recovered) <= len(whole)
    assert recovered[:-1] == whole[: len(recovered) - 1]
    assert whole[len(recovered) - 1].startswith(recovered[-1])


@pytest.mark.parametrize("fraction", [0.1, 0.25, 0.33, 0.5, 0.66, 0.75, 0.9, 0.99])
def test_weekly_cut_anywhere_keeps_every_paper_before_the_cut(
    vocabulary: TagVocabulary, fraction: float
) -> None:
    cut = WEEKLY[: int(len(WEEKLY) * fraction)]
    whole = parse_text(WEEKLY, "w.txt", vocabulary).papers
    papers = parse_text(cut, "w.txt", vocabulary).papers
    assert_prefix_of([p.title for p in papers], [p.title for p in whole])
    # Every paper whose title and first section header made it into the text is recovered.
    lines = cut.count("\n") + 1
    complete = [paper for paper in whole if paper.line + 2 <= lines]
    assert len(papers) >= len(complete)


@pytest.mark.parametrize("fraction", [0.1, 0.3, 0.5, 0.7, 0.9])
def test_daily_cut_anywhere(vocabulary: TagVocabulary, fraction: float) -> None:
    cut = DAILY[: int(len(DAILY) * fraction)]
    whole = [p.title for p in parse_text(DAILY, "d.txt", vocabulary).papers]
    titles = [p.title for p in parse_text(cut, "d.txt", vocabulary).papers]
    assert_prefix_of(titles, whole)
    complete = [
        p for p in parse_text(DAILY, "d.txt", vocabulary).papers if p.line < cut.count("\n")
    ]
    assert len(titles) >= len(complete)


FIVE_MB = 5 * 1024 * 1024


@pytest.mark.parametrize(
    "line",
    [
        "a" * FIVE_MB,
        "가나다 " * (FIVE_MB // 4),
        "[" * FIVE_MB,
        "[a](" * (FIVE_MB // 4),
        '<a href="' * (FIVE_MB // 9),
        "*a " * (FIVE_MB // 3),
        "(a, " * (FIVE_MB // 4),
        "#a " * (FIVE_MB // 3),
        "https://" + "a" * FIVE_MB,
        "&amp;" * (FIVE_MB // 5),
    ],
    ids=[
        "ascii",
        "hangul",
        "brackets",
        "links",
        "anchors",
        "stars",
        "parens",
        "hashes",
        "url",
        "amp",
    ],
)
def test_a_5mb_line_parses_quickly(vocabulary: TagVocabulary, line: str) -> None:
    documents = {
        "alone.txt": line,
        "weekly.txt": WEEKLY.replace("GPT-4o\n\n소개\n\n", f"GPT-4o\n\n소개\n\n{line}\n\n", 1),
        "daily.txt": DAILY.replace("#llm\n", f"#llm\n{line}\n", 1),
        "note.md": NOTE.replace("\n\n", f"\n\n{line}\n\n", 1),
    }
    for source, text in documents.items():
        data = text.encode("utf-8")
        started = time.perf_counter()
        result = parse_bytes(data, source, vocabulary)
        elapsed = time.perf_counter() - started
        assert elapsed < 0.75, (source, elapsed)  # measured: about 0.1 s
        if source == "alone.txt":
            assert result.documents or result.errors[0].line == 1
            continue
        assert result.errors == [], source
        papers = result.documents[0].papers
        # In a daily, a huge line after a tag line may read as an entry of its own.
        assert len(papers) in {"weekly.txt": {10}, "daily.txt": {6, 7}, "note.md": {1}}[source]
        for paper in papers:
            for text_field in (paper.summary_ko, paper.abstract_en, paper.commentary):
                assert text_field is None or len(text_field) <= 20_000


def test_a_file_of_countless_short_lines_is_refused_quickly(vocabulary: TagVocabulary) -> None:
    data = ("2024-01-01\n" + "a b\n" * 1_000_000).encode()
    started = time.perf_counter()
    result = parse_bytes(data, "many.txt", vocabulary)
    assert time.perf_counter() - started < 0.75
    assert [(e.line, "lines" in e.message) for e in result.errors] == [
        (parse_module.MAX_LINES + 1, True)
    ]


def test_parse_file_reports_unreadable_and_oversized(
    vocabulary: TagVocabulary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = parse_file(tmp_path / "missing.txt", vocabulary)
    assert [(e.line, e.message.split(":")[0]) for e in missing.errors] == [(0, "cannot read file")]
    big = write(tmp_path, "big.txt", b"x" * 100)
    monkeypatch.setattr(parse_module, "MAX_FILE_BYTES", 10)
    oversized = parse_file(big, vocabulary)
    assert oversized.errors[0].line == 0
    assert "too large" in oversized.errors[0].message


def test_a_parser_bug_becomes_an_error_not_an_exception(
    vocabulary: TagVocabulary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(text: str, source: str) -> Document:
        raise RuntimeError("boom")

    monkeypatch.setitem(parse_module._PARSERS, DigestKind.NOTE, broken)
    shutil.copy(SAMPLES / "notes" / "230808 Shepherd.md", tmp_path / "230808 Shepherd.md")
    shutil.copy(SAMPLES / "daily-2024-02-06.txt", tmp_path / "daily.txt")
    result = parse_paths([tmp_path], vocabulary)
    assert [Path(d.source).name for d in result.documents] == ["daily.txt"]
    assert len(result.errors) == 1
    assert result.errors[0].line == 0
    assert "RuntimeError" in result.errors[0].message


_TABLE = (
    "# LLM 데이터셋 정리\n\n# Overview\n\n"
    "| 모델 | 파라미터 |\n|-----|--------:|\n"
    "| [GPT-3](https://arxiv.org/abs/2005.14165) | 175B |\n\n"
    "## GitHub\n\n| 데이터셋 | 토큰 |\n|---|---|\n| Blog | 273.6B |\n| Comments | 41.1B |\n"
)


def test_a_table_is_no_weekly_but_a_notice_with_its_line(vocabulary: TagVocabulary) -> None:
    # "Overview" and "GitHub" headings and the cells "Blog", "Comments" read like a weekly's
    # sections; a table is never one.
    result = parse_bytes(_TABLE.encode(), "reviews/llm-dataset.md", vocabulary)
    assert (result.documents, result.errors) == ([], [])
    (notice,) = result.notices
    assert notice.line == 5
    assert notice.message.startswith("not a digest: a markdown table")


def test_an_outline_without_links_is_a_notice_other_text_an_error(
    vocabulary: TagVocabulary,
) -> None:
    outline = "문장 생성에 대한 아이디어\n====\n\n방법\n----\n\n1. paragraph2vec로 변환.\n"
    (notice,) = parse_bytes(outline.encode(), "2016/09.md", vocabulary).notices
    assert (notice.line, notice.message[:34]) == (2, "not a digest: a markdown outline (")
    plain = parse_bytes(b"Just some text.\n", "garbage.md", vocabulary)
    assert plain.notices == []
    assert "unrecognised format" in plain.errors[0].message
