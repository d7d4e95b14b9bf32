"""The one clock: every "now" in paperbot comes from an injectable ``Clock``.

Times are timezone-aware UTC in memory and ISO text with milliseconds and ``Z`` in the
database (``iso``), so they sort as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

__all__ = ["Clock", "iso", "parse_iso", "utcnow"]

Clock = Callable[[], dt.datetime]


def utcnow() -> dt.datetime:
    """The real clock; the default wherever a clock can be injected."""
    return dt.datetime.now(dt.UTC)


def iso(when: dt.datetime) -> str:
    """``when`` as the database's timestamp text (UTC, milliseconds, ``Z``)."""
    if when.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    when = when.astimezone(dt.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def parse_iso(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.UTC)
