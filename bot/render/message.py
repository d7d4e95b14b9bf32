"""The one outgoing-message type: what a reply, an announcement or a DM consists of."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ATTACHMENT_LIMIT", "Attachment", "Component", "Embed", "Message"]

Embed = dict[str, Any]  # an embed in Discord's JSON shape, kept within limits by bot.render.limits
Component = dict[str, Any]  # an action row in Discord's JSON shape (buttons, select menus)

# Discord takes 10 MiB per message from any bot; charts stay far below (a few hundred KB).
ATTACHMENT_LIMIT = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a message (a chart PNG); ``description`` is its alt text."""

    filename: str
    data: bytes = field(repr=False)
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Message:
    """Content, embeds (plain dicts within Discord's limits), files, and the one role allowed
    to be pinged (announcements only; everything else pings nobody). ``components`` are action
    rows in Discord's JSON shape whose persistent custom ids the bot handles whenever they are
    pressed (``bot.discord.paper_actions``)."""

    content: str | None = None
    embeds: list[Embed] = field(default_factory=list)
    allowed_role_id: int | None = None
    attachments: tuple[Attachment, ...] = ()
    components: list[Component] = field(default_factory=list)
