"""The bot's heartbeat, and the health check that reads it from outside the process.

The running bot writes ``HEARTBEAT_KEY`` into the store's ``meta`` table every
``HEARTBEAT_EVERY`` seconds while it is connected to Discord's gateway; ``paperbot health``
(the image's health check, run every minute) only reads it: no discord.py import, no
migrations, no write.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bot.store import StoreError, read_meta

__all__ = ["HEARTBEAT_EVERY", "HEARTBEAT_KEY", "Health", "check_health"]

HEARTBEAT_KEY = "bot.heartbeat"
HEARTBEAT_EVERY = 30.0  # seconds


@dataclass(frozen=True, slots=True)
class Health:
    healthy: bool
    message: str


def check_health(path: Path, max_age: float, now: dt.datetime) -> Health:
    """Healthy when the bot reported being connected within ``max_age`` seconds."""
    if not path.exists():
        return Health(False, f"unhealthy: no store at {path}")
    try:
        beat = read_meta(path, HEARTBEAT_KEY)
    except StoreError as exc:
        return Health(False, f"unhealthy: {exc}")
    if beat is None:
        return Health(False, "unhealthy: the bot has not connected yet")
    age = (now - dt.datetime.fromisoformat(beat)).total_seconds()
    if age > max_age:
        return Health(False, f"unhealthy: last heartbeat {age:.0f} s ago")
    return Health(True, f"healthy: last heartbeat {age:.0f} s ago")
