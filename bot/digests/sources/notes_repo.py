"""Per-paper notes from a GitHub repository of markdown files (``rosinality/ml-papers``).

One poll costs one API call and one raw download per new note:

1. ``GET {api}/repos/{owner}/{repo}/git/trees/{branch}?recursive=1`` lists every file with its
   blob sha in a single request. It is conditional whenever nothing is owed from earlier polls,
   and a 304 does not count against GitHub's 60 unauthenticated calls an hour.
2. Each ``.md`` blob under ``prefix`` whose sha was never read is downloaded from the raw host
   (``{raw}/{owner}/{repo}/{branch}/{path}``, percent-encoded: names hold spaces and Hangul —
   that host is not the API and has no such quota) and parsed with
   :func:`bot.digests.parse.parse_bytes`; the document's source is that raw URL.

Blob shas, not paths, decide what is new: the author moves notes into year folders later, and a
moved file keeps its sha, so it is not downloaded again. An edited note has a new sha and is
read again; its :attr:`~bot.digests.models.Document.key` comes from its arXiv id (or URL) and
its file name, not its folder, so the store updates the note instead of adding one.

At most ``max_files_per_poll`` notes are downloaded per poll, so the first poll of a repository
with thousands of notes does not hammer GitHub; the rest follow on later polls. While such a
backlog (or a failed download) remains, the tree is fetched unconditionally — the state keeps
only the shas read, not the listing, so it stays small — and once everything is read, the
tree's ETag is kept and quiet polls cost a 304. Shas of files no longer in the tree are
forgotten, so the state does not grow beyond the repository.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from urllib.parse import quote

from bot.clock import Clock, utcnow
from bot.digests.models import ParseError
from bot.digests.parse import MAX_FILE_BYTES, SKIPPED_PREFIXES, parse_bytes
from bot.digests.sources.base import (
    FetchError,
    FetchResult,
    SourceState,
    deferred,
    finish_poll,
    start_poll,
)
from bot.digests.sources.http import HttpError, HttpFetcher, RemoteSource
from bot.digests.tags import TagVocabulary

log = logging.getLogger(__name__)

DEFAULT_REPO = "rosinality/ml-papers"
DEFAULT_API_URL = "https://api.github.com"
DEFAULT_RAW_URL = "https://raw.githubusercontent.com"
NOTE_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True, slots=True)
class Blob:
    path: str
    sha: str
    size: int | None


class NotesRepoSource(RemoteSource):
    """Markdown notes under ``prefix`` in ``repo`` at ``branch``. See the module docstring."""

    def __init__(
        self,
        http: HttpFetcher,
        vocabulary: TagVocabulary,
        *,
        repo: str = DEFAULT_REPO,
        branch: str = "main",
        prefix: str = "papers/",
        api_url: str = DEFAULT_API_URL,
        raw_url: str = DEFAULT_RAW_URL,
        max_files_per_poll: int = 200,
        max_failures: int = 5,
        token: str | None = None,
        name: str | None = None,
        clock: Clock = utcnow,
    ) -> None:
        owner, _, repository = repo.partition("/")
        if not owner or not repository or "/" in repository:
            raise ValueError(f"repo must be 'owner/name', not {repo!r}")
        self.http = http
        self.vocabulary = vocabulary
        self.owner, self.repo, self.branch = owner, repository, branch
        self.prefix = prefix.lstrip("/")
        self.api_url = api_url.rstrip("/")
        self.raw_url = raw_url.rstrip("/")
        self.max_files_per_poll = max(1, max_files_per_poll)
        self.max_failures = max(1, max_failures)
        self._token = token  # only ever sent to the API host
        self.name = name or f"notes:{repo}@{branch}/{self.prefix}"
        self._clock = clock

    @property
    def tree_url(self) -> str:
        return (
            f"{self.api_url}/repos/{quote(self.owner)}/{quote(self.repo)}"
            f"/git/trees/{quote(self.branch, safe='')}?recursive=1"
        )

    def raw_file_url(self, path: str) -> str:
        """The raw host's URL of ``path``: spaces, Hangul, ``#`` and ``?`` percent-encoded."""
        return (
            f"{self.raw_url}/{quote(self.owner)}/{quote(self.repo)}"
            f"/{quote(self.branch)}/{quote(path)}"
        )

    async def fetch(self, state: SourceState | None) -> FetchResult:
        now = self._clock()
        if deferred(state, now):
            assert state is not None
            return FetchResult(state=state.model_copy(deep=True))
        result = FetchResult(state=start_poll(state, now))
        result.state.not_before = None
        listing = await self._list(result)
        if listing is not None:
            await self._read(result, *listing)
        return finish_poll(result, now)

    async def _list(self, result: FetchResult) -> tuple[list[Blob], bool] | None:
        """The note blobs of the tree and whether the listing is complete; ``None`` when it is
        unchanged (304) or unavailable."""
        state, url = result.state, self.tree_url
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        try:
            response = await self.http.get(
                url, validators=state.validators.get(url), headers=headers
            )
        except HttpError as error:
            self._failed(result, error)
            return None
        if response.not_modified:
            return None
        data = response.json_or_none()
        tree = data.get("tree") if isinstance(data, dict) else None
        if not isinstance(data, dict) or not isinstance(tree, list):
            result.fetch_errors.append(
                FetchError(url=url, reason="not a GitHub tree listing (invalid JSON)")
            )
            state.validators.pop(url, None)
            return None
        truncated = data.get("truncated") is True
        if truncated:
            result.fetch_errors.append(
                FetchError(url=url, reason="GitHub truncated the tree listing; some notes missing")
            )
        blobs = sorted(
            (blob for item in tree if (blob := self._note_blob(item)) is not None),
            key=lambda blob: blob.path,
        )
        validators = response.validators
        if validators.empty:
            state.validators.pop(url, None)
        else:
            state.validators[url] = validators
        return blobs, not truncated

    def _note_blob(self, item: object) -> Blob | None:
        if not isinstance(item, dict) or item.get("type") != "blob":
            return None
        path, sha, size = item.get("path"), item.get("sha"), item.get("size")
        if not isinstance(path, str) or not isinstance(sha, str) or not sha:
            return None
        if not path.startswith(self.prefix) or not path.lower().endswith(NOTE_SUFFIXES):
            return None
        name = path.rsplit("/", 1)[-1].lower()
        if name.startswith((".", *SKIPPED_PREFIXES)):  # as local ingest does
            return None
        return Blob(path, sha, size if isinstance(size, int) else None)

    async def _read(self, result: FetchResult, blobs: list[Blob], complete: bool) -> None:
        state = result.state
        if complete:  # forget deleted notes (a truncated listing proves nothing deleted)
            present = {blob.sha for blob in blobs}
            state.seen_blobs &= present
            state.failures = {
                key: count
                for key, count in state.failures.items()
                if not key.startswith("blob:") or key.removeprefix("blob:") in present
            }
        todo: list[Blob] = []
        queued: set[str] = set()
        for blob in blobs:  # a copied file is one blob: read it once
            if blob.sha not in state.seen_blobs and blob.sha not in queued:
                queued.add(blob.sha)
                todo.append(blob)
        batch = todo[: self.max_files_per_poll]
        owed = len(todo) > len(batch)
        for blob in batch:
            try:
                await self._read_one(result, blob)
            except _ReadFailedError as failure:
                owed = True
                if failure.error.server_trouble:
                    break  # GitHub is struggling or asked for a pause: the rest can wait
        if owed:
            # Work is left: next poll must see the listing again, so ask unconditionally.
            state.validators.pop(self.tree_url, None)

    async def _read_one(self, result: FetchResult, blob: Blob) -> None:
        """Download and parse one note; raises :class:`_ReadFailedError` if the download failed."""
        state = result.state
        url = self.raw_file_url(blob.path)
        if blob.size is not None and blob.size > MAX_FILE_BYTES:
            message = f"file too large ({blob.size} bytes, limit {MAX_FILE_BYTES})"
            result.parse_errors.append(ParseError(source=url, line=0, message=message))
            state.seen_blobs.add(blob.sha)
            return
        try:
            response = await self.http.get(url)
        except HttpError as error:
            self._failed(result, error)
            key = f"blob:{blob.sha}"
            failures = state.failures.get(key, 0) + 1
            if failures >= self.max_failures:
                state.failures.pop(key, None)
                state.seen_blobs.add(blob.sha)  # give up on this one
            else:
                state.failures[key] = failures
            raise _ReadFailedError(error) from error
        # Parsing is CPU work: off the event loop, which also keeps the Discord connection.
        parsed = await asyncio.to_thread(parse_bytes, response.content, url, self.vocabulary)
        result.documents.extend(parsed.documents)
        result.parse_errors.extend(parsed.errors)
        result.notices.extend(parsed.notices)
        state.seen_blobs.add(blob.sha)
        state.failures.pop(f"blob:{blob.sha}", None)


class _ReadFailedError(Exception):
    """A note could not be downloaded in this poll (it stays owed unless given up)."""

    def __init__(self, error: HttpError) -> None:
        super().__init__(str(error))
        self.error = error
