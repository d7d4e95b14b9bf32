"""The one outgoing-message type: what a reply, an announcement or a DM consists of."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.render.limits import Embed

__all__ = ["Message"]


@dataclass(frozen=True, slots=True)
class Message:
    """Content, embeds (plain dicts within Discord's limits) and the one role allowed to be
    pinged (announcements only; everything else pings nobody)."""

    content: str | None = None
    embeds: list[Embed] = field(default_factory=list)
    allowed_role_id: int | None = None
