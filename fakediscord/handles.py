"""What a test holds for one interaction: an :class:`InteractionHandle` to await the bot's
answers on (its initial response, the @original message, followups, choices, a modal)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .channels import Channel, Message
from .constants import InteractionType
from .guilds import Guild
from .signals import Signal
from .users import User


@dataclass
class InitialResponse:
    """What the bot sent to ``POST /interactions/{id}/{token}/callback``."""

    type: int
    data: dict[str, Any] | None
    time: float


class InteractionHandle:
    """One interaction the emulator sent; await the bot's answers on it.

    ``await ix.response()`` gives the initial callback; ``await ix.original_message()`` the
    message the user sees (after a defer, once it is no longer "thinking");
    ``await ix.followup(0)`` the first followup; ``ix.choices()`` autocomplete results;
    ``ix.modal()`` a modal the bot opened.
    """

    def __init__(
        self,
        *,
        id: int,
        token: str,
        type: int,
        payload: dict[str, Any],
        user: User,
        channel: Channel,
        guild: Guild | None,
        created_at: float,
        message: Message | None = None,
    ) -> None:
        self.id = id
        self.token = token
        self.type = type
        self.payload = payload
        self.user = user
        self.channel = channel
        self.guild = guild
        self.created_at = created_at
        #: For component and modal interactions from a message: that message.
        self.source_message = message
        self.initial: InitialResponse | None = None
        #: The @original message: created by types 4/5, or the source message for types 6/7.
        self.original: Message | None = None
        self.followups: list[Message] = []
        self.autocomplete_choices: list[dict[str, Any]] | None = None
        self.modal_data: dict[str, Any] | None = None
        #: How many times the bot changed @original (type 7, PATCH @original, the first
        #: followup replacing a "thinking" message).
        self.edits = 0
        self.signal = Signal()

    def __repr__(self) -> str:
        kind = InteractionType(self.type).name.lower()
        return f"<InteractionHandle {kind} id={self.id} user={self.user.username}>"

    @property
    def acknowledged(self) -> bool:
        return self.initial is not None

    @property
    def messages(self) -> list[Message]:
        """Every message this interaction produced (original first), deleted ones excluded."""
        found = [self.original] if self.original is not None else []
        found += [m for m in self.followups if m is not self.original]
        return [m for m in found if not m.deleted]

    async def response(self, within: float = 5.0) -> InitialResponse:
        return await self.signal.wait_for(lambda: self.initial, within, f"{self!r} to be answered")

    async def original_message(self, within: float = 5.0, *, loaded: bool = True) -> Message:
        """The @original message; with ``loaded`` (default) wait until it stops "thinking"."""

        def check() -> Message | None:
            msg = self.original
            if msg is None or (loaded and msg.loading):
                return None
            return msg

        return await self.signal.wait_for(check, within, f"the original response of {self!r}")

    async def followup(self, index: int = 0, within: float = 5.0) -> Message:
        def check() -> Message | None:
            return self.followups[index] if len(self.followups) > index else None

        return await self.signal.wait_for(check, within, f"followup #{index} of {self!r}")

    async def edited(self, count: int = 1, within: float = 5.0) -> Message:
        """Wait until @original has been edited ``count`` times; return it."""

        def check() -> Message | None:
            return self.original if self.edits >= count and self.original is not None else None

        return await self.signal.wait_for(check, within, f"{count} edit(s) by {self!r}")

    async def choices(self, within: float = 5.0) -> list[dict[str, Any]]:
        return await self.signal.wait_for(
            lambda: self.autocomplete_choices, within, f"autocomplete choices for {self!r}"
        )

    async def modal(self, within: float = 5.0) -> dict[str, Any]:
        return await self.signal.wait_for(lambda: self.modal_data, within, f"a modal from {self!r}")

    async def wait_for(
        self, predicate: Callable[[InteractionHandle], bool], within: float = 5.0
    ) -> InteractionHandle:
        return await self.signal.wait_for(
            lambda: self if predicate(self) else None, within, f"condition on {self!r}"
        )
