"""Shared set-up for delivery tests: ingest times and a standard issue."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from bot.clock import iso
from bot.digests.models import Document
from bot.store import Store
from tests.store.builders import paper, weekly


def set_ingested(path: Path, document_id: int, when: dt.datetime) -> None:
    """Pretend a document was first stored at ``when`` (created_at is SQLite's clock)."""
    with sqlite3.connect(path) as db:
        db.execute("UPDATE documents SET created_at = ? WHERE id = ?", (iso(when), document_id))


def issue_doc(day: dt.date, count: int = 3, *, tag: str = "rlhf", stem: str = "") -> Document:
    return weekly(
        day,
        *(
            paper(
                f"Paper {stem}{day} {n}",
                arxiv_id=f"{day:%y%m}.{day.day:02d}{n:03d}{stem}",
                tags=[tag, f"t{n}"],
                summary_ko=f"논문 {n} 요약",
            )
            for n in range(count)
        ),
        intro="이번 주 트렌드",
    )


async def ingest_at(store: Store, document: Document, when: dt.datetime) -> int:
    report = await store.ingest([document])
    outcome = report.documents[0]
    assert outcome.document_id is not None, outcome
    set_ingested(store.path, outcome.document_id, when)
    return outcome.document_id
