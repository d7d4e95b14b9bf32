"""The one message catalogue, kept as one module per feature and merged here once.

Each feature module has ``MESSAGES`` (message id -> (English, Korean)) and may have
``COMMANDS`` (a command's English name or description -> Korean). A key defined by two
features is a mistake that would silently hide one text: merging refuses it at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import TypeVar

from bot.i18n.catalogue import alerts, commands, common, discovery, lookup, server, trends

__all__ = ["COMMAND_TEXT", "MESSAGES", "merged"]

FEATURES: tuple[ModuleType, ...] = (common, lookup, server, alerts, trends, discovery, commands)

V = TypeVar("V")


def merged(parts: Mapping[str, Mapping[str, V]]) -> dict[str, V]:
    """One dict from the features' dicts (feature name -> dict); a key twice raises."""
    result: dict[str, V] = {}
    owner: dict[str, str] = {}
    for feature, part in parts.items():
        for key, value in part.items():
            if key in result:
                raise ValueError(f"message {key!r} is defined by both {owner[key]} and {feature}")
            result[key] = value
            owner[key] = feature
    return result


def _collect(attribute: str) -> dict[str, dict[str, object]]:
    return {
        module.__name__: getattr(module, attribute)
        for module in FEATURES
        if hasattr(module, attribute)
    }


MESSAGES: dict[str, tuple[str, str]] = merged(_collect("MESSAGES"))  # type: ignore[arg-type]
COMMAND_TEXT: dict[str, str] = merged(_collect("COMMANDS"))  # type: ignore[arg-type]
