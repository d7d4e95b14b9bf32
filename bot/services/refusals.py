"""Errors a user can act on. The message is shown to them (ephemerally) in their language.

Anything else that escapes a command is unexpected: logged with a short id the user can quote.
This module stays free of discord.py so the core can raise these too.
"""

from __future__ import annotations


class UserFacingError(Exception):
    """An error whose text (an `bot.i18n` message id plus values) the user should see."""

    def __init__(self, message_key: str, /, **values: object) -> None:
        super().__init__(message_key)
        self.message_key = message_key
        self.values = values


class BadQueryError(UserFacingError):
    """The search text cannot be used as it is."""


class NotFoundError(UserFacingError):
    """The thing asked for does not exist."""


class NotYourInteractionError(UserFacingError):
    def __init__(self) -> None:
        super().__init__("error.not_yours")
