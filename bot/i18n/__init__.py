"""Korean and English text for replies and for command names and descriptions.

One catalog, keyed by message id; Korean for Korean clients, English for everyone else.
Command names and descriptions are translated by `bot.discord.translator.PaperTranslator`,
which looks up the English text here (the English text is the key Discord sees by default);
Korean messages name commands as Korean clients see them (`/설정 채널`, not `/settings channel`).

- Plurals: a message with a ``{count}`` may have a ``<id>#one`` form, used when count is 1.
- User text (a query, a tag or keyword as typed, a time zone...) is never pasted raw:
  ``{query!q}`` quotes it as inline code, ``{query!p}`` makes it one plain line
  (``bot.i18n.user_text``), so backticks, markdown and mentions show as typed.

The texts live in ``bot.i18n.catalogue``, one module per feature, merged once with a check
that no message id is defined twice.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.i18n.catalogue import COMMAND_TEXT, MESSAGES
from bot.i18n.user_text import plain_user_text, quote_user_text

__all__ = [
    "COMMAND_TEXT",
    "MESSAGES",
    "Lang",
    "Msg",
    "MsgList",
    "lang_of",
    "plural_key",
    "seconds_to_wait",
    "t",
]

Lang = Literal["en", "ko"]


def lang_of(locale: str | None) -> Lang:
    """Korean for Korean clients (`ko`), English for every other locale."""
    return "ko" if locale and locale.lower().startswith("ko") else "en"


@dataclass(frozen=True)
class Msg:
    """A message rendered later, in the language of whoever reads it.

    Errors are raised deep in the core, before anyone knows the reader's language; values that
    are themselves messages (a hint inside an error) are rendered at the same time.
    """

    key: str
    values: dict[str, object] = field(default_factory=dict)

    def render(self, lang: Lang) -> str:
        return t(self.key, lang, **self.values)


@dataclass(frozen=True)
class MsgList:
    """Several messages rendered later as one comma-separated list (permission names...)."""

    items: tuple[Msg, ...]

    def render(self, lang: Lang) -> str:
        return ", ".join(item.render(lang) for item in self.items)


class _Formatter(string.Formatter):
    """``str.format`` plus two conversions for user text: ``!q`` quoted, ``!p`` plain."""

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "q":
            return quote_user_text(str(value))
        if conversion == "p":
            return plain_user_text(str(value))
        return super().convert_field(value, conversion)


_FORMATTER = _Formatter()


def plural_key(key: str, values: dict[str, object]) -> str:
    """``key#one`` when the message has a singular form and ``count`` is 1."""
    if values.get("count") == 1 and f"{key}#one" in MESSAGES:
        return f"{key}#one"
    return key


def t(key: str, lang: Lang, /, **values: object) -> str:
    english, korean = MESSAGES[plural_key(key, values)]
    text = korean if lang == "ko" else english
    if not values:
        return text
    rendered = {name: _render_value(value, lang) for name, value in values.items()}
    return _FORMATTER.format(text, **rendered)


def seconds_to_wait(retry_after: float) -> int:
    """A cooldown's wait as whole seconds, rounded up (never "0 seconds")."""
    return max(1, math.ceil(retry_after))


def _render_value(value: object, lang: Lang) -> object:
    if isinstance(value, Msg | MsgList):
        return value.render(lang)
    if isinstance(value, tuple) and all(isinstance(v, Msg) for v in value):
        return "".join(v.render(lang) for v in value)
    return value
