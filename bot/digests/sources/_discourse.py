"""Discourse's JSON as the forum really sends it, read defensively into what the source needs.

Real answers carry more than the fields a test double would set, and some of it matters:

- ``pinned`` (and ``pinned_globally``): pinned topics sit at the top of page 1 whatever their
  bump order, so they say nothing about what deeper pages hold.
- ``bumped_at``: moves when the first post is edited, not only on a reply; ``last_posted_at``
  moves only on a reply. Both come with any UTC offset (``…Z``, ``…-04:00``), so they are
  compared as instants, not strings.
- ``fancy_title`` is HTML-escaped (``&ldquo;``); ``title`` is the plain one.
- ``excerpt`` may be null, and the same topic id may appear twice on a page.
- ``/t/{id}.json`` lists the posts an anonymous reader may see: post 1 can be missing (deleted,
  or hidden after flags) or present but hidden (``hidden``/``cooked_hidden``). Only post 1 is
  the digest; its ``version`` and ``updated_at`` change when it is edited.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.digests.sources.base import TopicRef


@dataclass(frozen=True, slots=True)
class ListedTopic:
    """One entry of ``topic_list.topics``."""

    ref: TopicRef
    pinned: bool


@dataclass(frozen=True, slots=True)
class FirstPost:
    """Post number 1 of ``/t/{id}.json``: its content and what changes when it is edited."""

    raw: str | None
    cooked: str | None
    version: int | None
    updated_at: str | None


def instant(text: str | None) -> datetime | None:
    """A Discourse timestamp as an aware UTC datetime; ``None`` when absent or unreadable."""
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def same_time(a: str | None, b: str | None) -> bool:
    """Whether two timestamps name the same instant (``…Z`` and ``…+00:00`` do)."""
    first, second = instant(a), instant(b)
    if first is None or second is None:
        return a == b
    return first == second


def later(a: str | None, b: str | None) -> bool:
    """Whether ``a`` is a known instant after ``b``."""
    first, second = instant(a), instant(b)
    return first is not None and second is not None and first > second


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


@dataclass(frozen=True, slots=True)
class TopicPage:
    """One ``/c/….json`` page: its topics, its next page, and the entries that were skipped
    because they cannot be read (with why, for ``/status``)."""

    topics: list[ListedTopic]
    more: str | None
    skipped: list[str]


def topic_list(data: object) -> TopicPage | None:
    """Topics of a ``/c/….json`` page, each id once, and its next page; ``None`` if not one.

    An entry without a usable id or title is skipped with a reason: an id sent as a string
    (``"123"``) is not guessed at, but it is not dropped in silence either."""
    if not isinstance(data, dict):
        return None
    listing = data.get("topic_list")
    if not isinstance(listing, dict) or not isinstance(listing.get("topics"), list):
        return None
    topics: list[ListedTopic] = []
    skipped: list[str] = []
    ids: set[int] = set()
    for item in listing["topics"]:
        if not isinstance(item, dict):
            skipped.append(f"a topic entry that is not an object ({type(item).__name__})")
            continue
        topic_id = _int(item.get("id"))
        title = _str(item.get("title"))
        if title is None and (fancy := _str(item.get("fancy_title"))) is not None:
            title = html.unescape(fancy)
        if topic_id is None or title is None:
            named = f" {title!r}" if title is not None else ""
            problem = (
                f"malformed id {item.get('id')!r} (not an integer)"
                if topic_id is None
                else "no title"
            )
            skipped.append(f"topic{named} skipped: {problem}")
            continue
        if topic_id in ids:
            continue  # a repeated id: Discourse sends the first as the current one
        ids.add(topic_id)
        ref = TopicRef(
            id=topic_id,
            slug=_str(item.get("slug")) or "",
            title=title,
            last_posted_at=_str(item.get("last_posted_at")),
            bumped_at=_str(item.get("bumped_at")),
            created_at=_str(item.get("created_at")),
        )
        pinned = item.get("pinned") is True or item.get("pinned_globally") is True
        topics.append(ListedTopic(ref, pinned))
    return TopicPage(topics, _str(listing.get("more_topics_url")), skipped)


def first_post(data: object) -> FirstPost | str:
    """Post number 1 of a ``/t/{id}.json`` answer, or why it cannot be read (for humans)."""
    if not isinstance(data, dict):
        return "not a Discourse topic (invalid JSON)"
    stream = data.get("post_stream")
    posts = stream.get("posts") if isinstance(stream, dict) else None
    if not isinstance(posts, list):
        return "not a Discourse topic (no post_stream.posts)"
    post = next((p for p in posts if isinstance(p, dict) and _int(p.get("post_number")) == 1), None)
    if post is None:
        return "post 1 is not in the topic (hidden or deleted for anonymous readers)"
    if post.get("hidden") is True or post.get("cooked_hidden") is True:
        return "post 1 is hidden"
    if post.get("deleted_at") or post.get("user_deleted") is True:
        return "post 1 is deleted"
    raw, cooked = _str(post.get("raw")), _str(post.get("cooked"))
    if not (raw or "").strip() and not (cooked or "").strip():
        return "post 1 has neither raw nor cooked content"
    return FirstPost(
        raw=raw if (raw or "").strip() else None,
        cooked=cooked,
        version=_int(post.get("version")),
        updated_at=_str(post.get("updated_at")),
    )
