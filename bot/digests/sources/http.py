"""A small, polite HTTP GET on one shared ``httpx.AsyncClient``.

The forum and GitHub are run by other people, who publish their limits (Discourse: about 200
requests a minute and 50 per 10 s per address, then 429; GitHub: 60 unauthenticated API calls
an hour, with 304 answers free). A bot that polls them for years must stay well inside those
limits even when something goes wrong, so every request made through :class:`HttpFetcher`:

- says who it is (a descriptive ``User-Agent`` with a contact URL), so an operator who sees us
  in their logs can tell what we are and reach us instead of blocking an address;
- waits its turn: requests to one host start at least ``min_interval`` seconds apart, across
  all the sources that share the fetcher (retries included);
- retries only what is worth retrying — 429, 408, 5xx, timeouts and broken connections — with
  exponential backoff and jitter (so many bots do not retry in lockstep), honouring
  ``Retry-After`` and GitHub's ``X-RateLimit-Reset``; a wait longer than ``max_retry_after`` is
  not slept through but handed back (:attr:`HttpError.retry_after`) for the source to record;
- can ask "changed since?" (``If-None-Match`` / ``If-Modified-Since``) from validators the
  caller kept, and reports a 304 as :attr:`HttpResponse.not_modified`;
- has a deadline per attempt and a size cap, so a stalled or huge response cannot hang a poll
  or fill memory;
- follows redirects only on the host it was asked (same host and port, never HTTPS down to
  HTTP): a redirect elsewhere fails with the reason, so a source never stores another site's
  page as its own. The shared client is made with ``follow_redirects=False`` too.

The ``httpx.AsyncClient`` is created by the caller (``async with`` in ``main``) and injected:
nothing here opens connections at import time, and one connection pool serves every source.
Validators are not stored here: the source commits them only after it has processed the
response, so a response that failed to parse is downloaded again next time.
"""

from __future__ import annotations

import asyncio
import email.utils
import importlib.metadata
import json
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import SplitResult, urljoin, urlsplit

import httpx

from bot.clock import Clock
from bot.digests.sources.base import FetchError, FetchResult, Validators

log = logging.getLogger(__name__)

CONTACT_URL = "https://github.com/paperbot"
# Worth retrying: the server is busy or briefly broken, and says so. Every 5xx but the two
# that describe the request rather than the server's health (501 Not Implemented, 505).
RETRY_STATUSES = frozenset({408, 429} | set(range(500, 600)) - {501, 505})
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY_EXCEPTIONS = (
    httpx.TimeoutException,
    httpx.NetworkError,
    httpx.RemoteProtocolError,
    httpx.ProxyError,
    TimeoutError,
)


def default_user_agent() -> str:
    """``paperbot/<version> (+<contact>; digest fetcher)``."""
    try:
        version = importlib.metadata.version("paperbot")
    except importlib.metadata.PackageNotFoundError:
        version = "dev"
    return f"paperbot/{version} (+{CONTACT_URL}; digest fetcher)"


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpSettings:
    """How polite to be. The defaults suit production; tests shrink the waits."""

    user_agent: str = field(default_factory=default_user_agent)
    timeout: float = 30.0  # seconds per attempt, connect to last byte
    min_interval: float = 1.0  # seconds between request starts to one host
    max_attempts: int = 4
    backoff_base: float = 2.0  # first retry waits about this long, then doubling
    backoff_cap: float = 60.0
    max_retry_after: float = 120.0  # longer waits are handed back, not slept through
    max_bytes: int = 16 * 1024 * 1024

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if min(self.timeout, self.max_bytes) <= 0:
            raise ValueError("timeout and max_bytes must be positive")
        if min(self.min_interval, self.backoff_base, self.backoff_cap, self.max_retry_after) < 0:
            raise ValueError("intervals and backoff must not be negative")


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """A finished response (2xx or 304) with its whole body."""

    url: str
    status: int
    headers: httpx.Headers
    content: bytes
    attempts: int = 1

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def validators(self) -> Validators:
        return Validators(
            etag=self.headers.get("etag"), last_modified=self.headers.get("last-modified")
        )

    @property
    def content_type(self) -> str:
        value: str = self.headers.get("content-type", "")
        return value.split(";", 1)[0].strip().lower()

    def text(self) -> str:
        """The body as text: the declared charset, else UTF-8; undecodable bytes replaced."""
        charset = "utf-8"
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                charset = value.strip().strip("\"'")
        try:
            return self.content.decode(charset, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")

    def json(self) -> object:
        """The body as JSON; raises ``ValueError`` for anything that is not."""
        return json.loads(self.content)

    def json_or_none(self) -> object:
        """The body as JSON, or ``None`` when it is not JSON (an HTML error page, garbage)."""
        try:
            return self.json()
        except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
            return None


class HttpError(Exception):
    """A GET that failed for good: a non-retryable status, or retries exhausted.

    ``retry_after`` is set when the server asked for a pause (seconds from now); the source
    records it and skips polls until then.
    """

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        attempts: int = 1,
    ) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status
        self.retry_after = retry_after
        self.attempts = attempts

    @property
    def server_trouble(self) -> bool:
        """The server is struggling (timeout, broken connection, 5xx) or asked for a pause.

        Sources stop asking that host for more in the same poll: the remaining work waits for
        the next one instead of adding load where it hurts. A 429 is a pause asked for even
        without ``Retry-After``.
        """
        return (
            self.status is None
            or self.status >= 500
            or self.status in (408, 429)
            or self.retry_after is not None
        )


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delay-seconds or an HTTP date.

    Fractional seconds are accepted although the standard says integer: being lenient costs
    nothing and lets tests use short waits.
    """
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def rate_limit_wait(headers: httpx.Headers, now: float | None = None) -> float | None:
    """GitHub's way of saying "wait": ``X-RateLimit-Remaining: 0`` until ``X-RateLimit-Reset``."""
    if headers.get("x-ratelimit-remaining", "").strip() != "0":
        return None
    try:
        reset = float(headers.get("x-ratelimit-reset", ""))
    except ValueError:
        return None
    return max(0.0, reset - (time.time() if now is None else now))


class HttpFetcher:
    """Polite GETs for every source; share one instance so per-host spacing holds across them.

    ``sleep``, ``clock`` and ``rng`` are injectable so that waits can be observed in tests;
    production uses the real ones.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        settings: HttpSettings | None = None,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self._client = client
        self.settings = settings or HttpSettings()
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()
        self._locks: dict[str, asyncio.Lock] = {}
        self._last_start: dict[str, float] = {}

    async def get(
        self,
        url: str,
        *,
        validators: Validators | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> HttpResponse:
        """GET ``url``; a 2xx or a 304 comes back, anything else raises :class:`HttpError`."""
        request_headers = {"User-Agent": self.settings.user_agent}
        if headers:
            request_headers.update(headers)
        if validators is not None:
            if validators.etag:
                request_headers["If-None-Match"] = validators.etag
            if validators.last_modified:
                request_headers["If-Modified-Since"] = validators.last_modified
        host = urlsplit(url).netloc.lower()
        attempts = self.settings.max_attempts
        for attempt in range(1, attempts + 1):
            await self._wait_turn(host)
            retry_after: float | None = None
            status: int | None = None
            try:
                response = await self._once(url, request_headers, attempt)
            except _RETRY_EXCEPTIONS as error:
                reason = _describe(error)
            else:
                status = response.status
                if 200 <= status < 300 or status == 304:
                    return response
                retry_after = parse_retry_after(response.headers.get("retry-after"))
                quota_wait = rate_limit_wait(response.headers) if status in (403, 429) else None
                if retry_after is None and quota_wait is not None:
                    raise HttpError(  # GitHub: out of quota until a reset; retrying cannot help
                        url,
                        f"HTTP {status}: rate limit exhausted",
                        status=status,
                        retry_after=quota_wait,
                        attempts=attempt,
                    )
                # GitHub's secondary rate limit is a 403 with Retry-After: a 429 in all but name.
                if status not in RETRY_STATUSES and not (status == 403 and retry_after is not None):
                    raise HttpError(url, f"HTTP {status}", status=status, attempts=attempt)
                reason = f"HTTP {status}"
                if retry_after is not None and retry_after > self.settings.max_retry_after:
                    raise HttpError(
                        url,
                        f"HTTP {status}: asked to wait {retry_after:.0f} s",
                        status=status,
                        retry_after=retry_after,
                        attempts=attempt,
                    )
            if attempt == attempts:
                raise HttpError(
                    url,
                    f"{reason} (gave up after {attempt} attempts)",
                    status=status,
                    retry_after=retry_after,
                    attempts=attempt,
                )
            delay = max(self._backoff(attempt), retry_after or 0.0)
            log.info("GET %s: %s; retry %d in %.2f s", url, reason, attempt, delay)
            await self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _wait_turn(self, host: str) -> None:
        """Space request starts to one host; the lock makes concurrent callers queue."""
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:
            last = self._last_start.get(host)
            if last is not None:
                wait = last + self.settings.min_interval - self._clock()
                if wait > 0:
                    await self._sleep(wait)
            self._last_start[host] = self._clock()

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random."""
        ceiling = min(self.settings.backoff_cap, self.settings.backoff_base * 2.0 ** (attempt - 1))
        return ceiling / 2 + self._rng.uniform(0, ceiling / 2)

    async def _once(self, url: str, headers: Mapping[str, str], attempt: int) -> HttpResponse:
        """One attempt: redirects are followed here, and only on the host asked."""
        timeout = self.settings.timeout
        current = url
        try:
            async with asyncio.timeout(timeout):
                for _ in range(MAX_REDIRECTS + 1):
                    async with self._client.stream(
                        "GET", current, headers=headers, timeout=timeout, follow_redirects=False
                    ) as response:
                        status = response.status_code
                        location = response.headers.get("location")
                        if status in _REDIRECTS and location:
                            target = urljoin(current, location)
                            if not same_host(url, target):
                                raise HttpError(
                                    url,
                                    f"HTTP {status}: redirected to another host "
                                    f"({urlsplit(target).netloc or target}); not followed",
                                    status=status,
                                    attempts=attempt,
                                )
                            current = target
                            continue
                        content = b""
                        if 200 <= status < 300:
                            content = await self._read_limited(url, response, attempt)
                        return HttpResponse(
                            url=str(response.url),
                            status=status,
                            headers=response.headers,
                            content=content,
                            attempts=attempt,
                        )
                raise HttpError(
                    url, f"more than {MAX_REDIRECTS} redirects; not followed", attempts=attempt
                )
        except _RETRY_EXCEPTIONS:
            raise
        except httpx.HTTPError as error:  # bad URL scheme, too many redirects, bad encoding
            raise HttpError(url, _describe(error), attempts=attempt) from error
        except httpx.InvalidURL as error:
            raise HttpError(url, f"invalid URL: {error}", attempts=attempt) from error

    async def _read_limited(self, url: str, response: httpx.Response, attempt: int) -> bytes:
        limit = self.settings.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise HttpError(url, f"response too large ({declared} bytes)", attempts=attempt)
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise HttpError(url, f"response larger than {limit} bytes", attempts=attempt)
            chunks.append(chunk)
        return b"".join(chunks)


def same_host(origin: str, target: str) -> bool:
    """Whether a redirect from ``origin`` to ``target`` stays on its host (and port), over
    HTTP(S), never from HTTPS down to HTTP: a source reads only the site it was given."""
    before, after = urlsplit(origin), urlsplit(target)
    if after.scheme not in ("http", "https") or (before.scheme, after.scheme) == ("https", "http"):
        return False
    if after.hostname != before.hostname:
        return False
    if before.scheme != after.scheme:  # an upgrade to HTTPS: from and to the default ports
        return (_port(before), _port(after)) == (80, 443)
    return _port(after) == _port(before)


def _port(parts: SplitResult) -> int | None:
    try:
        return parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:  # a port that is not a number
        return None


def _describe(error: BaseException) -> str:
    if isinstance(error, httpx.TimeoutException | TimeoutError):
        return "timed out"
    if isinstance(error, httpx.ConnectError):
        return f"connection failed: {error}" if str(error) else "connection failed"
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class RemoteSource:
    """What every source polling over HTTP shares (the forum, the notes repository): a
    request that failed for good is reported for ``/status``, and a server that asked for a
    pause longer than the fetcher sleeps through is left alone until then."""

    name: str
    http: HttpFetcher
    _clock: Clock

    def _failed(self, result: FetchResult, error: HttpError) -> None:
        log.warning("%s: %s: %s", self.name, error.url, error.reason)
        result.fetch_errors.append(
            FetchError(url=error.url, reason=error.reason, status=error.status)
        )
        if error.retry_after is not None and error.retry_after > self.http.settings.max_retry_after:
            result.state.not_before = self._clock() + timedelta(seconds=error.retry_after)
