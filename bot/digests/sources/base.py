"""What every digest source shares: its persisted state, its result, and the protocol.

A source is polled by the scheduler, every few hours, for as long as the bot runs. Three things
follow from that, and shape everything here:

- **A source remembers.** Remote sources must not re-download what they already read (the
  forum asks for at most about one request a second; GitHub allows 60 API calls an hour), so a
  source carries validators (ETag, Last-Modified), the topics and blobs it has read, and the
  work it still owes. That memory is a plain JSON-serialisable :class:`SourceState` that the
  source *takes and returns*: the caller persists it (the store's ``meta`` table) and hands it
  back on the next poll, so a restart loses nothing and the source objects hold no state.
- **A source never raises for bad input.** A broken post is a :class:`ParseError`, an HTTP
  failure or a garbage response is a :class:`FetchError`; both come back in
  :class:`FetchResult` next to the documents that did work, and the state records how far the
  poll got. Only programming errors escape.
- **All sources look alike.** The scheduler sees :class:`Source` — a name and ``fetch`` — and
  does not care whether documents came from a folder, a forum or a git repository.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_serializer

from bot.digests.errors import DigestFormatError
from bot.digests.models import Document, ParseError
from bot.digests.parse import parse_text
from bot.digests.tags import TagVocabulary

log = logging.getLogger(__name__)


STATE_VERSION = 1


class Validators(BaseModel):
    """What a server said about a response, to ask next time "has it changed since?"."""

    etag: str | None = None
    last_modified: str | None = None

    @property
    def empty(self) -> bool:
        return self.etag is None and self.last_modified is None


class TopicRef(BaseModel):
    """A forum topic found in the listing and not yet read successfully.

    A topic that failed for a reason that may pass (a rate limit, an outage, a hidden first
    post) keeps why (``last_error``) and when to try again (``retry_at``), for ``/status``.
    """

    model_config = ConfigDict(extra="ignore")

    id: int
    slug: str
    title: str
    last_posted_at: str | None = None
    bumped_at: str | None = None
    created_at: str | None = None
    last_error: str | None = None
    retry_at: datetime | None = None
    gone_since: datetime | None = None  # first of an unbroken run of 404/410 answers


class TopicMark(BaseModel):
    """A forum topic that was read, as it was then: to notice when its first post changes.

    Discourse moves ``bumped_at`` when the first post is edited; in a topic with replies an
    edit may not show in the listing at all, so recent topics are also re-checked now and then
    against the post's own ``version`` and ``updated_at``.
    """

    model_config = ConfigDict(extra="ignore")

    slug: str = ""
    title: str = ""
    created_at: str | None = None
    bumped_at: str | None = None
    version: int | None = None
    updated_at: str | None = None
    read_at: datetime | None = None
    checked_at: datetime | None = None
    recheck: bool = True


class SourceState(BaseModel):
    """Everything a source remembers between polls; JSON in, JSON out.

    One model serves every source (each uses the fields it needs), so the caller stores all of
    them the same way: ``state.model_dump_json()`` under a key derived from ``source.name``,
    and :func:`load_state` to read it back. Unknown fields are ignored, so an older bot can read
    a newer state without failing; ``version`` lets a future one migrate.
    """

    model_config = ConfigDict(extra="ignore")

    version: int = STATE_VERSION
    validators: dict[str, Validators] = Field(
        default_factory=dict, description="ETag / Last-Modified per URL, for conditional GETs"
    )
    seen_topics: dict[int, str | None] = Field(
        default_factory=dict, description="forum topic id -> its last_posted_at when it was read"
    )
    pending_topics: dict[int, TopicRef] = Field(
        default_factory=dict, description="series topics listed but not yet read successfully"
    )
    read_topics: dict[int, TopicMark] = Field(
        default_factory=dict, description="forum topic id -> how it looked when last read"
    )
    seen_blobs: set[str] = Field(
        default_factory=set, description="git blob shas already read (parsed or rejected)"
    )
    files: dict[str, str] = Field(
        default_factory=dict, description="local file -> 'mtime_ns:size' when it was read"
    )
    failures: dict[str, int] = Field(
        default_factory=dict,
        description="item -> consecutive failed fetches, to back off (or give up, for blobs)",
    )
    last_fetch_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None
    not_before: datetime | None = Field(
        default=None, description="a server asked us to wait until then (Retry-After, rate limit)"
    )

    @field_serializer("seen_blobs")
    def _sorted_blobs(self, blobs: set[str]) -> list[str]:
        # Sorted, so that an unchanged state serialises to the same bytes every time.
        return sorted(blobs)


class FetchError(BaseModel):
    """A request that failed for good in this poll (after retries), with a reason for humans."""

    url: str
    reason: str
    status: int | None = None


class FetchResult(BaseModel):
    """One poll: the new or changed documents, what failed and why, and the state to persist."""

    documents: list[Document] = Field(default_factory=list)
    parse_errors: list[ParseError] = Field(default_factory=list)
    # files skipped as no digest at all (a table, an outline): reported, not failures
    notices: list[ParseError] = Field(default_factory=list)
    fetch_errors: list[FetchError] = Field(default_factory=list)
    state: SourceState = Field(default_factory=SourceState)


@runtime_checkable
class Source(Protocol):
    """A place digests come from. ``name`` is stable: it keys the persisted state."""

    name: str

    async def fetch(self, state: SourceState | None) -> FetchResult:
        """Poll once; ``state`` is what the previous poll returned (``None`` the first time)."""
        ...


def load_state(data: str | bytes | None) -> SourceState | None:
    """Read a persisted state; a corrupt one is logged and treated as none.

    Losing the state costs one full re-read (the store deduplicates documents by key), while
    refusing to start the source would stop ingest altogether.
    """
    if data is None:
        return None
    try:
        return SourceState.model_validate_json(data)
    except ValidationError as error:
        log.warning("ignoring unreadable source state: %s", error.errors()[:1])
        return None


def dump_state(state: SourceState) -> str:
    return state.model_dump_json()


def start_poll(state: SourceState | None, now: datetime) -> SourceState:
    """A private copy of ``state`` for this poll: the caller's object is never mutated."""
    fresh = state.model_copy(deep=True) if state is not None else SourceState()
    fresh.last_fetch_at = now
    return fresh


def finish_poll(result: FetchResult, now: datetime) -> FetchResult:
    """Record success or the first error of the poll in the state."""
    if result.fetch_errors:
        first = result.fetch_errors[0]
        result.state.last_error = f"{first.url}: {first.reason}"
    else:
        result.state.last_error = None
        result.state.last_success_at = now
    return result


def deferred(state: SourceState | None, now: datetime) -> bool:
    """Whether a server told us to keep away until a time that has not come yet."""
    return state is not None and state.not_before is not None and now < state.not_before


def parse_post(
    text: str,
    source: str,
    vocabulary: TagVocabulary,
    *,
    line_offset: int = 0,
    lines: Sequence[int] | None = None,
) -> Document | ParseError:
    """Parse one remote document, never raising; ``line_offset`` lines were added in front.

    Sources sometimes prepend a line the parser needs (the forum's raw markdown lacks the topic
    title, which carries the week), so reported line numbers are shifted back to the post's own
    lines; an error on the added lines is reported as line 0, "the post as a whole". When the
    text was derived from the post (HTML flattened to text), ``lines[i]`` is the post's line
    that text line ``i + 1`` came from, so numbers point into the post, not the derived text.
    """

    def shift(line: int) -> int:
        if line <= line_offset:
            return 0
        own = line - line_offset
        if lines is None:
            return own
        return lines[own - 1] if own <= len(lines) else 0

    try:
        document = parse_text(text, source, vocabulary)
    except DigestFormatError as error:
        return ParseError(source=source, line=shift(error.line), message=error.message)
    except Exception as error:  # a parser bug must not stop a poll
        log.exception("unexpected error while parsing %s", source)
        message = f"internal parser error ({type(error).__name__}): {error}"
        return ParseError(source=source, line=0, message=message)
    if line_offset or lines is not None:
        for paper in document.papers:
            paper.line = shift(paper.line)
    return document
