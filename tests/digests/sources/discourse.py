"""Discourse answers in the shapes a real forum sends, for the loopback server to serve.

Written after the public fixtures of Discourse's own API client (``discourse_api``'s
``spec/fixtures``) and Discourse's controllers, with the fields our test doubles in
:mod:`.posts` never set: ``pinned``/``pinned_globally``, ``bumped``/``bumped_at``,
``fancy_title`` (HTML-escaped, so it differs from ``title`` when there are quotes), null
``excerpt``, timestamps with any UTC offset, ``version``/``updated_at`` of each post, posts an
anonymous reader may not see, Discourse's HTML 404 page, its two rate-limit answers (the
per-IP limiter's text/plain body and the per-action limiter's JSON), both with ``Retry-After``.
Two larger answers are JSON files under ``tests/fixtures/discourse``.
"""

from __future__ import annotations

import copy
import html
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from .fakeweb import Reply, json_reply
from .posts import WEEKLY_2026_MARKDOWN, WEEKLY_2026_TITLE

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "discourse"

CATEGORY = "/c/news/14.json"
PAGE_2 = "/c/news/14/l/latest.json?page=1"
T0 = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)


@dataclass
class Clock:
    """The source's clock, moved by hand between polls."""

    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@cache
def _fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text("utf-8"))


def fixture(name: str) -> Any:
    """A fresh copy of ``tests/fixtures/discourse/<name>``, for a test to change."""
    return copy.deepcopy(_fixture(name))


def listed(
    topic_id: int,
    title: str,
    *,
    created: str = "2026-06-15T10:00:00.000+09:00",
    last_posted: str | None = None,
    bumped: str | None = None,
    pinned: bool = False,
    posts_count: int = 1,
    slug: str | None = None,
) -> dict[str, Any]:
    """One entry of ``topic_list.topics`` with every field a real category page carries."""
    last_posted = last_posted or created
    return {
        "id": topic_id,
        "title": title,
        "fancy_title": html.escape(title).replace("&quot;", "&ldquo;"),
        "slug": slug or f"topic-{topic_id}",
        "posts_count": posts_count,
        "reply_count": posts_count - 1,
        "highest_post_number": posts_count,
        "image_url": None,
        "created_at": created,
        "last_posted_at": last_posted,
        "bumped": True,
        "bumped_at": bumped or last_posted,
        "archetype": "regular",
        "unseen": False,
        "pinned": pinned,
        "unpinned": None,
        "excerpt": None,
        "visible": True,
        "closed": False,
        "archived": False,
        "bookmarked": None,
        "liked": None,
        "tags": ["ml-papers"],
        "tags_descriptions": {},
        "views": 120,
        "like_count": 2,
        "has_summary": False,
        "last_poster_username": "9bow",
        "category_id": 14,
        "pinned_globally": False,
        "featured_link": None,
        "posters": [
            {
                "extras": "latest single",
                "description": "Original Poster, Most Recent Poster",
                "user_id": 2,
                "primary_group_id": None,
                "flair_group_id": None,
            }
        ],
    }


def news(topic_id: int, **fields: Any) -> dict[str, Any]:
    """A category topic outside the weekly series."""
    return listed(topic_id, f'PyTorch 소식 #{topic_id}: "torch.compile" 이야기', **fields)


def category_page(topics: list[dict[str, Any]], more: str | None = None) -> dict[str, Any]:
    listing: dict[str, Any] = {
        "can_create_topic": False,
        "per_page": 30,
        "top_tags": ["ml-papers"],
        "topics": topics,
    }
    if more is not None:
        listing["more_topics_url"] = more
    return {"users": [], "primary_groups": [], "flair_groups": [], "topic_list": listing}


def post(
    topic_id: int,
    number: int,
    *,
    raw: str,
    cooked: str = "",
    version: int = 1,
    updated: str = "2026-06-15T01:00:00.000Z",
    **fields: Any,
) -> dict[str, Any]:
    """A post of ``/t/{id}.json?include_raw=1``."""
    return {
        "id": topic_id * 10 + number,
        "username": "9bow" if number == 1 else "reader",
        "created_at": "2026-06-15T01:00:00.000Z",
        "cooked": cooked or f"<p>{html.escape(raw)}</p>",
        "raw": raw,
        "post_number": number,
        "post_type": 1,
        "updated_at": updated,
        "reply_count": 0,
        "reply_to_post_number": None,
        "reads": 40,
        "topic_id": topic_id,
        "version": version,
        "can_edit": False,
        "hidden": False,
        "deleted_at": None,
        "user_deleted": False,
        "edit_reason": None,
        "wiki": False,
        **fields,
    }


def topic_view(topic_id: int, title: str, posts: list[dict[str, Any]]) -> dict[str, Any]:
    """A ``/t/{id}.json`` answer (trimmed of the fields nobody reads)."""
    return {
        "post_stream": {"posts": posts, "stream": [p["id"] for p in posts]},
        "id": topic_id,
        "title": title,
        "fancy_title": html.escape(title),
        "posts_count": len(posts),
        "created_at": "2026-06-15T01:00:00.000Z",
        "slug": f"topic-{topic_id}",
        "category_id": 14,
        "pinned": False,
        "archetype": "regular",
        "chunk_size": 20,
    }


# -- the forum's error answers -------------------------------------------------------------------

HTML_404 = """<!DOCTYPE html>
<html lang="ko">
<head><meta charset="utf-8"><title>페이지를 찾을 수 없음 - 파이토치 한국 사용자 모임</title></head>
<body class="crawler">
<div id="main-outlet" class="wrap" role="main">
  <div class="page-not-found">
    <h1 class="title">Oops! That page doesn’t exist or is private.</h1>
  </div>
</div>
</body>
</html>
"""


def html_404() -> Reply:
    return Reply(404, HTML_404.encode(), {"Content-Type": "text/html; charset=utf-8"})


def json_error(status: int, error_type: str, message: str) -> Reply:
    return json_reply({"errors": [message], "error_type": error_type}, status=status)


def json_404() -> Reply:
    return json_error(404, "not_found", "The requested URL or resource could not be found.")


def json_403() -> Reply:
    return json_error(
        403, "invalid_access", "You are not permitted to view the requested resource."
    )


def rate_limited_text(retry_after: str = "1") -> Reply:
    """The per-IP limiter (a middleware, before any controller): text/plain."""
    body = (
        "Slow down, too many requests from this IP address. Please retry again in "
        f"{retry_after} seconds. Error code: ip_10_secs_limit."
    )
    headers = {
        "Content-Type": "text/plain; charset=utf-8",
        "Retry-After": retry_after,
        "Discourse-Rate-Limit-Error-Code": "ip_10_secs_limit",
    }
    return Reply(429, body.encode(), headers)


def rate_limited_json(retry_after: str = "1") -> Reply:
    """A controller's rate limiter: Discourse's JSON error with ``extras``."""
    body = {
        "errors": [
            "You’ve performed this action too many times. "
            f"Please wait {retry_after} seconds before trying again."
        ],
        "error_type": "rate_limit",
        "extras": {"wait_seconds": float(retry_after), "time_left": f"{retry_after} seconds"},
    }
    reply = json_reply(body, status=429)
    return Reply(429, reply.body, {**reply.headers, "Retry-After": retry_after})


def bad_gateway() -> Reply:
    return Reply(
        502,
        b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
        b"</h1></center><hr><center>nginx</center></body></html>",
        {"Content-Type": "text/html"},
    )


# -- an issue and its corrected edit -------------------------------------------------------------

WEEKLY_2026_ID = 9001
WEEKLY_2026_SLUG = "2026-06-08-14-ai-ml"
CREATED = "2026-06-15T10:00:00.000+09:00"  # 01:00 UTC, an hour before T0
RAW = f"/raw/{WEEKLY_2026_ID}/1"
JSON = f"/t/{WEEKLY_2026_ID}.json?include_raw=1"


def weekly_2026(**fields: Any) -> dict[str, Any]:
    """The 2026 issue as listed on the category page."""
    fields.setdefault("created", CREATED)
    return listed(WEEKLY_2026_ID, WEEKLY_2026_TITLE, slug=WEEKLY_2026_SLUG, **fields)


# As first posted: the paper's link points at the wrong arXiv id and a paper is missing.
WEEKLY_2026_BROKEN = WEEKLY_2026_MARKDOWN.replace("2505.24760", "2505.2476")

# As edited: the link fixed and the missing paper added.
WEEKLY_2026_EDITED = WEEKLY_2026_MARKDOWN.replace(
    "## 원문",
    """## 보상 모델 없이 강화학습하기 / Reinforcement Learning without Reward Models

### 논문 소개

보상 모델 없이 강화학습으로 언어 모델을 정렬합니다.

Aligns language models with reinforcement learning and no reward model.

### 논문 링크

[arXiv](https://arxiv.org/abs/2506.01234)

## 원문""",
)
