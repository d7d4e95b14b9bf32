"""The one loader of the digests' TOML data files (the tag vocabulary and the glossary)."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from bot.digests.errors import VocabularyError


def load_toml(path: Path | None, bundled: str) -> dict[str, Any]:
    """The table in ``path``, or in the file ``bundled`` of this package when ``path`` is
    ``None``; malformed TOML is a :class:`VocabularyError` naming the file."""
    try:
        if path is None:
            text = resources.files("bot.digests").joinpath(bundled).read_text("utf-8")
        else:
            text = path.read_text("utf-8")
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise VocabularyError(f"{path or bundled}: {error}") from error
