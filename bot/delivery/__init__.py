"""Delivery workers: scheduled announcements and the alert DM outbox, discord-agnostic.

They talk to Discord through a ``Courier`` (``bot.delivery.courier``) and keep every fact about
what was delivered in the database (``bot.store.community.guilds`` and
``bot.store.community.alerts``), so a restart, a crash mid-post or a second instance never loses
or duplicates a message.
"""

from .alert_dms import AlertWorker, DrainReport
from .announcer import Announcer, AnnounceResult, Preview
from .backoff import Backoff
from .courier import ClosedDMs, Courier, CourierError, Forbidden, NotFound, RecentMessage, Transient
from .ratelimit import RateLimiter

__all__ = [
    "AlertWorker",
    "AnnounceResult",
    "Announcer",
    "Backoff",
    "ClosedDMs",
    "Courier",
    "CourierError",
    "DrainReport",
    "Forbidden",
    "NotFound",
    "Preview",
    "RateLimiter",
    "RecentMessage",
    "Transient",
]
