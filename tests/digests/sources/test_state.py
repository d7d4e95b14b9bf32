"""Source state survives the trip through JSON (the store keeps it as text) unchanged."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.digests.sources import (
    SourceState,
    TopicMark,
    TopicRef,
    Validators,
    dump_state,
    load_state,
)


def full_state() -> SourceState:
    return SourceState(
        validators={"https://x/c/news/14.json": Validators(etag='W/"1"', last_modified=None)},
        seen_topics={4242: "2024-05-20T01:00:00.000Z", 7: None},
        pending_topics={9001: TopicRef(id=9001, slug="s", title="[2026/06/08 ~ 14] 논문")},
        seen_blobs={"b" * 40, "a" * 40},
        files={"/data/a.md": "1:2"},
        failures={"topic:9001": 2},
        last_fetch_at=datetime(2024, 5, 20, 12, 0, tzinfo=UTC),
        last_error="https://x/raw/1/1: HTTP 500",
        not_before=datetime(2024, 5, 20, 13, 0, tzinfo=UTC),
    )


def test_round_trip_through_json() -> None:
    state = full_state()
    text = dump_state(state)
    assert load_state(text) == state
    data = json.loads(text)
    assert data["seen_blobs"] == ["a" * 40, "b" * 40]  # sorted: stable bytes for equal states
    assert data["seen_topics"] == {"4242": "2024-05-20T01:00:00.000Z", "7": None}
    assert dump_state(load_state(text) or SourceState()) == text


def test_unreadable_state_is_none() -> None:
    assert load_state(None) is None
    assert load_state("{not json") is None
    assert load_state('{"seen_topics": {"x": 1}}') is None


def test_unknown_fields_are_ignored() -> None:
    state = load_state('{"version": 2, "something_new": [1, 2]}')
    assert state is not None
    assert state.version == 2


def test_retry_and_edit_bookkeeping_round_trips() -> None:
    state = full_state()
    state.pending_topics[9001].last_error = "https://x/raw/9001/1: HTTP 429"
    state.pending_topics[9001].retry_at = datetime(2024, 5, 20, 14, 0, tzinfo=UTC)
    state.read_topics[4242] = TopicMark(
        slug="s",
        title="[2024/05/13 ~ 05/19] 논문",
        created_at="2024-05-20T10:00:00.000+09:00",
        bumped_at="2024-05-21T08:30:00.000+09:00",
        version=3,
        updated_at="2024-05-21T08:30:00.000+09:00",
        read_at=datetime(2024, 5, 20, 12, 0, tzinfo=UTC),
        checked_at=datetime(2024, 5, 21, 12, 0, tzinfo=UTC),
    )
    assert load_state(dump_state(state)) == state


def test_a_state_without_the_new_fields_loads() -> None:
    old = (
        '{"version": 1, "seen_topics": {"4242": "2024-05-20T01:00:00.000Z"},'
        ' "pending_topics": {"9001": {"id": 9001, "slug": "s", "title": "t",'
        ' "last_posted_at": null}}, "failures": {"topic:9001": 5}}'
    )
    state = load_state(old)
    assert state is not None
    assert state.read_topics == {}
    assert state.pending_topics[9001].retry_at is None
    assert state.pending_topics[9001].last_error is None
