"""Every REST request the emulator served, for assertions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .matching import method_matches, path_matches


@dataclass
class RecordedRequest:
    method: str
    #: Path without the ``/api/v10`` prefix, e.g. ``/channels/123/messages``.
    path: str
    #: The route template, e.g. ``/channels/{channel_id}/messages`` (``None`` if unknown).
    route: str | None
    query: dict[str, str]
    #: The JSON body (for multipart uploads, the parsed ``payload_json``).
    json: Any
    #: Clock time when the request arrived.
    time: float
    files: list[str] = field(default_factory=list)
    reason: str | None = None
    status: int = 0
    response: Any = None
    #: Clock time when the answer was ready.
    finished: float = 0.0
    #: Set for 429 answers: ``"global"``, ``"user"`` or ``"fault"``.
    rate_limited: str | None = None
    fault_id: int | None = None

    def __repr__(self) -> str:
        return f"<{self.method} {self.path} -> {self.status} at {self.time:.3f}>"


class RequestLog:
    """A list of :class:`RecordedRequest` with filters; iterate, index or ``len()`` it."""

    def __init__(self) -> None:
        self._items: list[RecordedRequest] = []

    def append(self, item: RecordedRequest) -> None:
        self._items.append(item)

    def clear(self) -> None:
        self._items.clear()

    def __iter__(self) -> Iterator[RecordedRequest]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, index: int) -> RecordedRequest:
        return self._items[index]

    def filter(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        route: str | None = None,
        status: int | None = None,
        where: Callable[[RecordedRequest], bool] | None = None,
    ) -> list[RecordedRequest]:
        """Requests matching all given criteria. ``path`` uses the fault pattern syntax
        (``/channels/*/messages``); ``route`` compares the template exactly."""
        return [
            r
            for r in self._items
            if method_matches(method, r.method)
            and (path is None or path_matches(path, r.path))
            and (route is None or r.route == route)
            and (status is None or r.status == status)
            and (where is None or where(r))
        ]

    def count(self, method: str | None = None, path: str | None = None, **kw: Any) -> int:
        return len(self.filter(method, path, **kw))

    def last(
        self, method: str | None = None, path: str | None = None, **kw: Any
    ) -> RecordedRequest:
        found = self.filter(method, path, **kw)
        if not found:
            raise LookupError(f"no request matched {method} {path} {kw}")
        return found[-1]

    @property
    def rate_limited(self) -> list[RecordedRequest]:
        return [r for r in self._items if r.status == 429]
