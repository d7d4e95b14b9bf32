"""Small digest files written during a test: "a new issue arrives"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path


def write_weekly(folder: Path, start: dt.date, papers: list[tuple[str, str, str]]) -> Path:
    """A weekly issue for the week starting ``start``: (title, Korean, English) per paper."""
    end = start + dt.timedelta(days=6)
    header = f"[{start:%Y/%m/%d} ~ {end:%m/%d}] 이번 주의 주요 ML 논문 (Top ML Papers of the Week)"
    parts = [header, "", "PyTorchKR", "", "  • 이번 주 요약입니다.", ""]
    for number, (title, korean, english) in enumerate(papers):
        parts += [
            "",
            title,
            "",
            "소개",
            "",
            korean,
            "",
            english,
            "",
            "논문 링크",
            "",
            f"https://arxiv.org/abs/{start:%y%m}.{number + 10000 + start.toordinal() % 80000}",
            "",
        ]
    path = folder / f"weekly-{start:%Y-%m-%d}.txt"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


RAG_PAPER = (  # tagged rag and rlhf
    "Quantum Retrieval Transformers",
    "양자 검색 트랜스포머와 RLHF에 관한 논문입니다.",
    "A paper about RLHF and quantum retrieval transformers for RAG.",
)
ZEBRA_PAPER = (
    "Sparse Zebra Attention",
    "얼룩말 어텐션입니다.",
    "A paper about sparse zebra attention for long context.",
)


def paper(title: str) -> tuple[str, str, str]:
    return (title, f"{title}에 관한 논문입니다.", f"A paper called {title} about models.")
