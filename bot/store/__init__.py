"""The digest store: SQLite (via aiosqlite) holding digests, papers, mentions and search.

``Store.open(path)`` is the entry point; see ``bot.store.store`` for the lifecycle and
``bot.store.analysis`` for how Korean and English text is indexed and queried.
"""

from ._db import MigrationError, StoreError, StoreUnusableError, read_meta
from ._file import needs_read_only
from ._ingest import DocumentHook, DocumentWrite
from .records import (
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
from .store import Store

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
