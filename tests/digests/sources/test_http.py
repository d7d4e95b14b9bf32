"""The polite HTTP helper against a real server on loopback: identity, spacing, retries, caching."""

from __future__ import annotations

import asyncio
import itertools
import random
import socket
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from bot.digests.sources.base import Validators
from bot.digests.sources.http import (
    HttpError,
    HttpFetcher,
    HttpSettings,
    default_user_agent,
    parse_retry_after,
    rate_limit_wait,
    same_host,
)

from .fakeweb import (
    TEST_USER_AGENT,
    FakeWeb,
    Reply,
    ServerFactory,
    fast_settings,
    json_reply,
    status_reply,
    text_reply,
)


async def test_user_agent_and_extra_headers_arrive(server: FakeWeb, http: HttpFetcher) -> None:
    server.route("/x.json", json_reply({"ok": True}))
    response = await http.get(f"{server.base}/x.json", headers={"Accept": "application/json"})
    assert response.status == 200
    assert response.json() == {"ok": True}
    (seen,) = server.requests
    assert seen.headers["User-Agent"] == TEST_USER_AGENT
    assert seen.headers["Accept"] == "application/json"
    assert "If-None-Match" not in seen.headers


def test_default_user_agent_names_the_bot_and_a_contact() -> None:
    agent = default_user_agent()
    assert agent.startswith("paperbot/")
    assert "(+https://" in agent
    assert "digest fetcher" in agent
    assert HttpSettings().user_agent == agent


async def test_requests_to_one_host_are_spaced(server: FakeWeb, client: httpx.AsyncClient) -> None:
    server.route("/a", text_reply("a"))
    # A wide interval, so a busy machine's scheduling jitter cannot hide the spacing.
    http = HttpFetcher(client, fast_settings(min_interval=0.2))
    for _ in range(3):
        await http.get(f"{server.base}/a")
    # Concurrent callers queue for their turn too.
    await asyncio.gather(*(http.get(f"{server.base}/a") for _ in range(3)))
    arrivals = [request.at for request in server.requests]
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert len(gaps) == 5
    assert min(gaps) >= 0.15, gaps  # 0.2 s between starts, minus loopback jitter


async def test_interval_is_per_host(start_server: ServerFactory, client: httpx.AsyncClient) -> None:
    first, second = await start_server(), await start_server()
    first.route("/a", text_reply("a"))
    second.route("/b", text_reply("b"))
    waits: list[float] = []

    async def record(delay: float) -> None:
        waits.append(delay)

    http = HttpFetcher(client, fast_settings(min_interval=30.0), sleep=record)
    await http.get(f"{first.base}/a")
    await http.get(f"{second.base}/b")
    assert waits == []  # another host: no wait
    await http.get(f"{first.base}/a")
    assert len(waits) == 1
    assert 29.0 < waits[0] <= 30.0  # the same host again: the rest of the interval


async def test_429_honours_retry_after_then_succeeds(server: FakeWeb, http: HttpFetcher) -> None:
    server.route("/busy", status_reply(429, Retry_After="0.3"), text_reply("done"))
    response = await http.get(f"{server.base}/busy")
    assert response.status == 200
    assert response.text() == "done"
    assert response.attempts == 2
    first, second = server.requests
    assert second.at - first.at >= 0.28  # waited as asked, not the 10 ms backoff


async def test_500_is_retried_then_succeeds(server: FakeWeb, http: HttpFetcher) -> None:
    server.route("/flaky", status_reply(500), status_reply(502), text_reply("fine"))
    response = await http.get(f"{server.base}/flaky")
    assert (response.status, response.attempts) == (200, 3)
    assert len(server.requests) == 3


async def test_persistent_503_gives_up_after_max_attempts(
    server: FakeWeb, http: HttpFetcher
) -> None:
    server.route("/down", status_reply(503))
    with pytest.raises(HttpError) as caught:
        await http.get(f"{server.base}/down")
    assert caught.value.status == 503
    assert caught.value.attempts == 3
    assert "HTTP 503" in caught.value.reason
    assert len(server.requests) == 3


async def test_timeout_is_retried_then_reported(server: FakeWeb, client: httpx.AsyncClient) -> None:
    server.route("/slow", Reply(body=b"late", delay=0.5))
    http = HttpFetcher(client, fast_settings(timeout=0.1, max_attempts=2))
    started = time.monotonic()
    with pytest.raises(HttpError) as caught:
        await http.get(f"{server.base}/slow")
    assert time.monotonic() - started < 0.45  # never waited for the slow answer
    assert caught.value.status is None
    assert "timed out" in caught.value.reason
    assert caught.value.attempts == 2
    assert len(server.requests) == 2


async def test_connection_refused_is_retried_then_reported(http: HttpFetcher) -> None:
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(HttpError) as caught:
        await http.get(f"http://127.0.0.1:{port}/nothing")
    assert caught.value.reason.startswith("connection failed")
    assert caught.value.attempts == 3


async def test_client_errors_are_not_retried(server: FakeWeb, http: HttpFetcher) -> None:
    server.route("/gone", status_reply(410))
    with pytest.raises(HttpError) as caught:
        await http.get(f"{server.base}/gone")
    assert (caught.value.status, caught.value.attempts) == (410, 1)
    assert len(server.requests) == 1


async def test_a_long_retry_after_is_handed_back_not_slept(
    server: FakeWeb, http: HttpFetcher
) -> None:
    server.route("/limited", status_reply(429, Retry_After="3600"))
    with pytest.raises(HttpError) as caught:
        await http.get(f"{server.base}/limited")
    assert caught.value.retry_after == 3600
    assert len(server.requests) == 1


async def test_github_quota_exhaustion_is_handed_back(server: FakeWeb, http: HttpFetcher) -> None:
    reset = str(int(time.time()) + 120)
    server.route("/repos/x", status_reply(403, X_RateLimit_Remaining="0", X_RateLimit_Reset=reset))
    with pytest.raises(HttpError) as caught:
        await http.get(f"{server.base}/repos/x")
    assert caught.value.status == 403
    assert caught.value.retry_after is not None
    assert 100 < caught.value.retry_after <= 120
    assert len(server.requests) == 1


async def test_a_403_with_retry_after_is_a_rate_limit(server: FakeWeb, http: HttpFetcher) -> None:
    server.route("/secondary", status_reply(403, Retry_After="0.05"), text_reply("ok"))
    response = await http.get(f"{server.base}/secondary")
    assert (response.status, response.attempts) == (200, 2)


async def test_etag_round_trip_gives_not_modified(server: FakeWeb, http: HttpFetcher) -> None:
    server.route("/list.json", Reply(200, b"{}", etag='W/"v1"'))
    first = await http.get(f"{server.base}/list.json")
    assert not first.not_modified
    assert first.validators == Validators(etag='W/"v1"')
    second = await http.get(f"{server.base}/list.json", validators=first.validators)
    assert second.not_modified
    assert second.content == b""
    assert server.requests[1].headers["If-None-Match"] == 'W/"v1"'


async def test_last_modified_round_trip_gives_not_modified(
    server: FakeWeb, http: HttpFetcher
) -> None:
    stamp = "Mon, 20 May 2024 01:02:03 GMT"
    server.route("/feed", Reply(200, b"x", last_modified=stamp))
    first = await http.get(f"{server.base}/feed")
    assert first.validators == Validators(last_modified=stamp)
    second = await http.get(f"{server.base}/feed", validators=first.validators)
    assert second.not_modified
    assert server.requests[1].headers["If-Modified-Since"] == stamp


async def test_oversized_responses_are_refused(server: FakeWeb, client: httpx.AsyncClient) -> None:
    server.route("/huge", Reply(200, b"x" * 5000))
    http = HttpFetcher(client, fast_settings(max_bytes=1000))
    with pytest.raises(HttpError, match=r"too large|larger than"):
        await http.get(f"{server.base}/huge")
    assert len(server.requests) == 1


async def test_backoff_grows_exponentially_with_jitter(
    server: FakeWeb, client: httpx.AsyncClient
) -> None:
    server.route("/down", status_reply(500))
    waits: list[float] = []

    async def record(delay: float) -> None:
        waits.append(delay)

    settings = fast_settings(max_attempts=4, backoff_base=1.0, backoff_cap=3.0)
    http = HttpFetcher(client, settings, sleep=record, rng=random.Random(7))
    with pytest.raises(HttpError):
        await http.get(f"{server.base}/down")
    assert len(waits) == 3
    assert 0.5 <= waits[0] <= 1.0
    assert 1.0 <= waits[1] <= 2.0
    assert 1.5 <= waits[2] <= 3.0  # capped at 3 s
    assert len(server.requests) == 4


def test_text_uses_the_declared_charset() -> None:
    from bot.digests.sources.http import HttpResponse

    body = "논문".encode("cp949")
    headers = httpx.Headers({"content-type": "text/plain; charset=cp949"})
    assert HttpResponse("u", 200, headers, body).text() == "논문"
    assert HttpResponse("u", 200, httpx.Headers(), b"\xff{").json_or_none() is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("120", 120.0), ("0.5", 0.5), ("-3", 0.0), ("soon", None), ("", None), (None, None)],
)
def test_parse_retry_after_seconds(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value) == expected


def test_parse_retry_after_http_date() -> None:
    now = datetime(2024, 5, 20, 12, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(later, now) == 90.0
    earlier = format_datetime(now - timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(earlier, now) == 0.0


def test_rate_limit_wait_needs_an_exhausted_quota() -> None:
    assert rate_limit_wait(httpx.Headers({"x-ratelimit-remaining": "5"})) is None
    headers = httpx.Headers({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1100"})
    assert rate_limit_wait(headers, now=1000.0) == 100.0


def test_settings_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        HttpSettings(max_attempts=0)
    with pytest.raises(ValueError, match="negative"):
        HttpSettings(min_interval=-1)


async def test_a_429_without_retry_after_is_still_server_trouble(
    server: FakeWeb, http: HttpFetcher
) -> None:
    # Sources stop asking the host for more in that poll: a 429 is a pause asked for.
    server.route("/busy", status_reply(429))
    with pytest.raises(HttpError) as caught:
        await http.get(f"{server.base}/busy")
    assert (caught.value.status, caught.value.retry_after) == (429, None)
    assert caught.value.server_trouble
    assert not HttpError("u", "HTTP 404", status=404).server_trouble


# -- redirects stay on the host asked ---------------------------------------------------------


async def test_a_redirect_on_the_same_host_is_followed(server: FakeWeb, http: HttpFetcher) -> None:
    server.route("/old", status_reply(301, Location="/new"))
    server.route("/new", text_reply("moved here"))
    response = await http.get(f"{server.base}/old")
    assert response.text() == "moved here"
    assert response.url == f"{server.base}/new"


async def test_a_redirect_to_another_host_is_refused_with_the_reason(
    start_server: ServerFactory, http: HttpFetcher
) -> None:
    forum, elsewhere = await start_server(), await start_server()
    forum.route("/raw/1", status_reply(302, Location=f"{elsewhere.base}/spam"))
    elsewhere.route("/spam", text_reply("not the forum's"))
    with pytest.raises(HttpError) as caught:
        await http.get(f"{forum.base}/raw/1")
    assert caught.value.status == 302
    assert "redirected to another host" in caught.value.reason
    assert elsewhere.requests == []  # never asked
    assert not caught.value.server_trouble  # not retried


async def test_endless_redirects_end(server: FakeWeb, http: HttpFetcher) -> None:
    server.route("/loop", status_reply(302, Location="/loop"))
    with pytest.raises(HttpError, match="redirects; not followed"):
        await http.get(f"{server.base}/loop")


def test_same_host() -> None:
    assert same_host("https://a.example/x", "https://a.example:443/y")
    assert same_host("http://a.example/x", "https://a.example/y")  # an upgrade
    assert not same_host("https://a.example/x", "http://a.example/y")  # a downgrade
    assert not same_host("https://a.example/x", "https://b.example/x")
    assert not same_host("http://127.0.0.1:1/x", "http://127.0.0.1:2/x")
    assert not same_host("https://a.example/x", "ftp://a.example/x")
