"""Small conversions between SQLite values and Python ones, shared by the store's modules."""

from __future__ import annotations

import datetime as dt
import json

from bot.clock import parse_iso

EPOCH = "1970-01-01T00:00:00.000Z"  # a lease that has always expired


def opt_time(text: str | None) -> dt.datetime | None:
    return None if text is None else parse_iso(text)


def opt_int(value: object) -> int | None:
    return None if value is None else int(str(value))


def to_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
