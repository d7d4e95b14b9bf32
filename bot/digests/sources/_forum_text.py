"""What the forum's text says: which titles are weekly issues, and where post 1 is in a ``/raw``.

Why ``/raw/{id}/1`` rather than ``/raw/{id}``: without a post number Discourse returns the whole
topic, every reply included, each under a ``user | date | #n`` line. If a forum answers the
short form that way anyway, :func:`first_post_markdown` cuts post 1 out of it — and only post 1:
a reply is never the digest.
"""

from __future__ import annotations

import re

from bot.digests._dates import parse_period

# "[2024/05/13 ~ 05/19] …", "[2026/06/08 ~ 14] …", "[2025.01.06-01.12] …": a bracketed week at
# the start of the title. The end may omit year and month.
_BRACKETED_WEEK = re.compile(
    r"\s*[\[【［]\s*(?:19|20)\d{2}\s*[./\-년]\s*\d{1,2}\s*[./\-월]\s*\d{1,2}\s*일?\s*"
    r"[~～〜\-–—]\s*[0-9./\-년월일\s]{1,16}[\]】］]"
)
_SERIES_WORDS = re.compile(r"논문|\bpapers?\b", re.IGNORECASE)
# The whole-topic form of /raw: "user | 2024-05-20 01:02:03 UTC | #1", the post, a rule.
_DUMP_HEADER = re.compile(r"[^\s|]{1,60} \| [^|\n]{1,60} \| #(\d{1,6})[ \t]*")
_DUMP_END = re.compile(r"\n-{25}[ \t]*\n\s*(?=[^\s|]{1,60} \| [^|\n]{1,60} \| #\d|\Z)")


def is_series_title(title: str) -> bool:
    """A weekly-paper-digest title: a bracketed week first, then 논문 or "paper(s)".

    Matches ``[2024/05/13 ~ 05/19] 이번 주의 주요 ML 논문 (Top ML Papers of the Week)`` and
    ``[2026/06/08 ~ 14] 이번 주에 살펴볼 만한 AI/ML 논문 모음``, and the next wording the
    editors choose as long as it keeps the week in brackets and mentions papers; release
    notes or event posts with a date (``[2024/05/13] PyTorch 2.3 …``) are not matched.
    """
    match = _BRACKETED_WEEK.match(title)
    return (
        match is not None
        and parse_period(match.group(0)) is not None
        and _SERIES_WORDS.search(title, match.end()) is not None
    )


def first_post_markdown(text: str) -> str | None:
    """The first post of a ``/raw`` answer; the post itself when it is a single post.

    ``None`` when the answer is a whole-topic dump that does not start with post 1 (hidden or
    deleted for us): a reply is never the digest.
    """
    stripped = text.lstrip()
    header = _DUMP_HEADER.match(stripped)
    if header is None or not stripped[header.end() :].startswith("\n"):
        return text
    if header.group(1) != "1":
        return None
    body = stripped[header.end() :]
    end = _DUMP_END.search(body)
    return (body[: end.start()] if end else body).strip("\n") + "\n"


def with_title(title: str, body: str) -> tuple[str, int]:
    """``body`` with the topic title in front, and how many lines were added (0 or 2).

    Nothing is added when the post already starts with its title (some authors repeat it as a
    heading), so the parser never sees it twice.
    """
    head = [line.strip().lstrip("#").strip() for line in body.split("\n", 8)[:8] if line.strip()]
    if title.strip() in head[:3]:
        return body, 0
    return f"{title}\n\n{body}", 2
