"""The digest store: SQLite (via aiosqlite) holding digests, papers, mentions and search.

``Store.open(path)`` is the entry point; see ``bot.store.store`` for the lifecycle and
``bot.search.analysis`` for how Korean and English text is indexed and queried.
"""

from bot.store._db import MigrationError, StoreError, StoreUnusableError, read_meta
from bot.store._file import needs_read_only
from bot.store.papers._ingest import DocumentHook, DocumentWrite
from bot.store.records import (
    DocumentOutcome,
    IngestReport,
    IngestStatus,
    IssueRecord,
    MentionRecord,
    PaperRecord,
    SearchHit,
    SearchPage,
    StoreStats,
    TitleSuggestion,
)
from bot.store.store import Store

__all__ = [
    "DocumentHook",
    "DocumentOutcome",
    "DocumentWrite",
    "IngestReport",
    "IngestStatus",
    "IssueRecord",
    "MentionRecord",
    "MigrationError",
    "PaperRecord",
    "SearchHit",
    "SearchPage",
    "Store",
    "StoreError",
    "StoreStats",
    "StoreUnusableError",
    "TitleSuggestion",
    "needs_read_only",
    "read_meta",
]
