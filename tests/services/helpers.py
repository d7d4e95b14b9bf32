"""Small helpers shared by the service tests."""

from __future__ import annotations

from bot.i18n import Lang, t
from bot.services.refusals import UserFacingError


def shown(error: UserFacingError, lang: Lang) -> str:
    """The text the user sees for ``error`` (as the command tree renders it)."""
    return t(error.message_key, lang, **error.values)
