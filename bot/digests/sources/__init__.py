"""Where digests come from: local folders, the PyTorch Korea forum, a GitHub notes repository.

Every source implements :class:`Source` — a stable ``name`` and ``async fetch(state)`` — and
returns a :class:`FetchResult` with new documents, parse errors, fetch errors and the
:class:`SourceState` to persist for the next poll (see :mod:`.base` for the contract). Remote
sources share one :class:`HttpFetcher` (see :mod:`.http`) built on an ``httpx.AsyncClient``
that the application creates and closes.

- :mod:`.directory` — :class:`DirectorySource`, files and folders on disk.
- :mod:`.forum` — :class:`ForumSource`, the weekly series of a Discourse category.
- :mod:`.notes_repo` — :class:`NotesRepoSource`, per-paper markdown notes in a GitHub repo.
"""

from bot.digests.sources.base import (
    FetchError,
    FetchResult,
    Source,
    SourceState,
    TopicMark,
    TopicRef,
    Validators,
    dump_state,
    load_state,
)
from bot.digests.sources.directory import DirectorySource
from bot.digests.sources.forum import ForumSource, is_series_title
from bot.digests.sources.http import (
    HttpError,
    HttpFetcher,
    HttpResponse,
    HttpSettings,
    default_user_agent,
)
from bot.digests.sources.notes_repo import NotesRepoSource

__all__ = [
    "DirectorySource",
    "FetchError",
    "FetchResult",
    "ForumSource",
    "HttpError",
    "HttpFetcher",
    "HttpResponse",
    "HttpSettings",
    "NotesRepoSource",
    "Source",
    "SourceState",
    "TopicMark",
    "TopicRef",
    "Validators",
    "default_user_agent",
    "dump_state",
    "is_series_title",
    "load_state",
]
