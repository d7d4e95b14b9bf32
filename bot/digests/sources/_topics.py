"""The forum topics a source owes, kept in its :class:`~.base.SourceState` between polls.

- ``seen_topics`` (id → ``last_posted_at`` when read) is what earlier versions kept, and is
  still written, so their states load and a downgrade keeps working.
- ``read_topics`` (id → :class:`~.base.TopicMark`) adds what shows an edit: ``bumped_at`` from
  the listing, and post 1's ``version``/``updated_at`` from the topic's JSON. A state without
  it (an older bot's) gets marks from the next listing; a topic bumped after its last post was
  edited after that bot may have read it, so it is read again once.
- ``pending_topics`` are owed. One that failed for a reason that may pass keeps the reason and
  a retry time: the next poll for a first failure, then doubling from ``base`` up to ``cap``
  (never sooner than a ``Retry-After``). Nothing here gives a topic up: the source does, after
  the forum has said "gone" for days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.digests.sources._discourse import instant, later, same_time
from bot.digests.sources.base import SourceState, TopicMark, TopicRef


@dataclass(frozen=True, slots=True)
class Backoff:
    base: timedelta
    cap: timedelta

    def delay(self, failures: int, retry_after: float | None = None) -> timedelta:
        wait = (
            timedelta(0) if failures <= 1 else min(self.cap, self.base * 2 ** min(failures - 2, 30))
        )
        return max(wait, timedelta(seconds=retry_after or 0.0))


NEXT_POLL = Backoff(timedelta(0), timedelta(0))  # no wait of the topic's own


def when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def _key(topic_id: int) -> str:
    return f"topic:{topic_id}"


def _changed(state: SourceState, topic: TopicRef) -> bool:
    """Whether a listed topic is new, or was replied to or edited since it was read."""
    if topic.id not in state.seen_topics:
        return True
    if not same_time(state.seen_topics[topic.id], topic.last_posted_at):
        return True
    mark = state.read_topics.get(topic.id)
    if mark is None:  # read by an older bot, which missed edits: a bump after the last post
        return later(topic.bumped_at, topic.last_posted_at)
    return not same_time(mark.bumped_at, topic.bumped_at)


def _mark(topic: TopicRef, read_at: datetime | None = None) -> TopicMark:
    return TopicMark(
        slug=topic.slug,
        title=topic.title,
        created_at=topic.created_at,
        bumped_at=topic.bumped_at,
        read_at=read_at,
        checked_at=read_at,
    )


def note_listed(state: SourceState, topic: TopicRef) -> bool:
    """Make a listed series topic pending if it is new or changed; whether it was."""
    if not _changed(state, topic):
        if topic.id not in state.read_topics:  # read by an older bot: track it from now on
            state.read_topics[topic.id] = _mark(topic)
        return False
    waiting = state.pending_topics.get(topic.id)
    if (
        waiting is not None
        and same_time(waiting.bumped_at, topic.bumped_at)
        and same_time(waiting.last_posted_at, topic.last_posted_at)
    ):  # unchanged since it failed: keep its reason and its backoff
        topic = topic.model_copy(
            update={
                "last_error": waiting.last_error,
                "retry_at": waiting.retry_at,
                "gone_since": waiting.gone_since,
            }
        )
    state.pending_topics[topic.id] = topic
    return True


def due_pending(state: SourceState, now: datetime) -> list[TopicRef]:
    return [
        topic
        for _, topic in sorted(state.pending_topics.items())
        if topic.retry_at is None or topic.retry_at <= now
    ]


def mark_read(
    state: SourceState,
    topic: TopicRef,
    now: datetime,
    *,
    version: int | None = None,
    updated_at: str | None = None,
    gone: bool = False,
) -> None:
    """``topic`` was answered for good: read (parsed or not a digest), or gone."""
    state.seen_topics[topic.id] = topic.last_posted_at
    state.pending_topics.pop(topic.id, None)
    state.failures.pop(_key(topic.id), None)
    mark = _mark(topic, now)
    mark.version, mark.updated_at, mark.recheck = version, updated_at, not gone
    state.read_topics[topic.id] = mark


def retry_later(
    state: SourceState,
    topic: TopicRef,
    reason: str,
    now: datetime,
    backoff: Backoff,
    retry_after: float | None = None,
) -> None:
    """Keep ``topic`` pending with why it failed and when to try again."""
    failures = state.failures.get(_key(topic.id), 0) + 1
    state.failures[_key(topic.id)] = failures
    topic.last_error = reason
    topic.retry_at = now + backoff.delay(failures, retry_after)


def waiting(state: SourceState, attempted: set[int]) -> list[tuple[TopicRef, str]]:
    """Failed topics not tried this poll, with a line for ``/status`` on each."""
    lines: list[tuple[TopicRef, str]] = []
    for topic_id, topic in sorted(state.pending_topics.items()):
        if topic_id in attempted or topic.last_error is None:
            continue
        failures = state.failures.get(_key(topic_id), 0)
        retry = f"next try after {when(topic.retry_at)}" if topic.retry_at else "retrying"
        lines.append((topic, f"not read yet ({failures} failed, {retry}): {topic.last_error}"))
    return lines


def due_rechecks(
    state: SourceState, now: datetime, every: timedelta, window: timedelta
) -> list[tuple[int, TopicMark]]:
    """Read topics young enough to be edited still, not looked at for ``every``."""

    def due(mark: TopicMark) -> bool:
        start = instant(mark.created_at) or mark.read_at
        if not mark.recheck or start is None or now - start > window:
            return False
        return mark.checked_at is None or now - mark.checked_at >= every

    return [
        (topic_id, mark)
        for topic_id, mark in sorted(state.read_topics.items())
        if topic_id not in state.pending_topics and due(mark)
    ]
