"""Path patterns shared by fault rules and request filters."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=256)
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """``*`` matches one path segment, ``**`` any number; ``{name}`` matches one segment too.

    Patterns are matched against the path without the ``/api/v10`` prefix, so
    ``/channels/*/messages`` and ``/channels/{channel_id}/messages`` both match
    ``/channels/123/messages``. A pattern starting with ``re:`` is a regular expression.
    """
    if pattern.startswith("re:"):
        return re.compile(pattern[3:])
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]+")
            i += 1
        elif pattern[i] == "{":
            end = pattern.index("}", i)
            out.append("[^/]+")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


def path_matches(pattern: str, path: str) -> bool:
    return compile_pattern(pattern).fullmatch(path) is not None


def method_matches(wanted: str | None, method: str) -> bool:
    return wanted is None or wanted == "*" or wanted.upper() == method.upper()
