"""The REST side: a tiny router plus the pipeline every request goes through.

recording -> route lookup -> fault rules -> Cloudflare ban -> auth -> global limit -> route
bucket -> handler -> ``X-RateLimit-*`` headers. Handlers return :class:`Reply` or raise
:class:`~fakediscord.api_errors.ApiError`; bodies are always JSON with a ``Content-Type`` of
exactly ``application/json`` (discord.py does not parse ``; charset=utf-8``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import BodyPartReader, web

from .api_errors import ApiError
from .constants import API_PREFIX, ErrorCode
from .faults import Fault, FaultRules
from .ratelimits import BucketState, Decision, RateLimiter, too_many_requests_headers
from .recording import RecordedRequest, RequestLog
from .snowflakes import Clock

log = logging.getLogger(__name__)

BucketKind = Literal["default", "channel_messages", "interaction_webhook"]


@dataclass
class Upload:
    """One ``files[n]`` part of a multipart request."""

    field: str
    filename: str
    data: bytes
    content_type: str | None


@dataclass
class ApiRequest:
    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    json: Any
    uploads: list[Upload]
    record: RecordedRequest

    def snowflake(self, name: str, code: ErrorCode = ErrorCode.GENERAL) -> int:
        """A path parameter as an int; a malformed id answers 404 with ``code``."""
        raw = self.params[name]
        if not raw.isdigit():
            raise ApiError(404, code)
        return int(raw)

    def body(self) -> dict[str, Any]:
        if self.json is None:
            return {}
        if not isinstance(self.json, dict):
            raise ApiError(
                400,
                ErrorCode.INVALID_FORM_BODY,
                errors={
                    "_errors": [
                        {"code": "MODEL_TYPE_CONVERT", "message": "Only dictionaries may be used."}
                    ]
                },
            )
        return self.json

    def flag(self, name: str) -> bool:
        return self.query.get(name, "").lower() in ("1", "true", "yes")


@dataclass
class Reply:
    status: int = 200
    body: Any = None

    @classmethod
    def empty(cls) -> Reply:
        return cls(204, None)


Handler = Callable[[ApiRequest], Awaitable[Reply]]
RequestHook = Callable[[ApiRequest], Awaitable[None]]


@dataclass
class Endpoint:
    method: str
    template: str
    handler: Handler
    auth: bool = True
    bucket: BucketKind = "default"
    #: Path parameters that split the bucket (Discord's "major parameters").
    major: tuple[str, ...] = ()
    global_limited: bool = True
    regex: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(self.template))
        self.regex = re.compile(pattern)

    @property
    def bucket_name(self) -> str:
        return self.bucket if self.bucket != "default" else f"{self.method} {self.template}"


class Router:
    def __init__(self) -> None:
        self.endpoints: list[Endpoint] = []

    def add(
        self,
        method: str,
        template: str,
        handler: Handler,
        *,
        auth: bool = True,
        bucket: BucketKind = "default",
        major: tuple[str, ...] | None = None,
        global_limited: bool = True,
    ) -> None:
        if major is None:
            major = tuple(p for p in ("channel_id", "guild_id") if "{" + p + "}" in template)
            major = major[:1]
        self.endpoints.append(
            Endpoint(
                method=method,
                template=template,
                handler=handler,
                auth=auth,
                bucket=bucket,
                major=major,
                global_limited=global_limited,
            )
        )

    def match(self, method: str, path: str) -> tuple[Endpoint, dict[str, str]]:
        allowed = False
        for endpoint in self.endpoints:
            m = endpoint.regex.fullmatch(path)
            if m is None:
                continue
            if endpoint.method == method:
                return endpoint, m.groupdict()
            allowed = True
        if allowed:
            raise ApiError(405, ErrorCode.GENERAL)
        raise ApiError(404, ErrorCode.GENERAL)


#: Recorded for a held request whose client went away: never processed, never answered
#: (nginx's "client closed request").
ABANDONED = 499


def _client_gone(request: web.Request) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    if body is None:
        return web.Response(status=204 if status < 300 else status, headers=headers)
    return web.Response(
        status=status,
        body=json.dumps(body, ensure_ascii=False).encode(),
        content_type="application/json",
        headers=headers,
    )


class RestPipeline:
    """Turns aiohttp requests into :class:`ApiRequest` and applies Discord's rules around them."""

    def __init__(
        self,
        *,
        router: Router,
        token: Callable[[], str],
        clock: Clock,
        limiter: RateLimiter,
        faults: FaultRules,
        log: RequestLog,
    ) -> None:
        self.router = router
        self.token = token
        self.clock = clock
        self.limiter = limiter
        self.faults = faults
        self.log = log
        self.hooks: list[RequestHook] = []
        self.hooks_after: list[Callable[[RecordedRequest], None]] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path[len(API_PREFIX) :] or "/"
        json_body, uploads = await _read_body(request)
        record = RecordedRequest(
            method=request.method,
            path=path,
            route=None,
            query=dict(request.query),
            json=json_body,
            time=self.clock(),
            files=[u.filename for u in uploads],
            reason=request.headers.get("X-Audit-Log-Reason"),
        )
        self.log.append(record)
        status, body, headers = await self._process(request, record, path, json_body, uploads)
        record.status = status
        record.response = body
        record.finished = self.clock()
        self.limiter.note_status(status)
        for after in list(self.hooks_after):
            after(record)
        if isinstance(body, str):
            return web.Response(status=status, text=body, headers=headers)
        return json_response(status, body, headers)

    async def _process(
        self,
        request: web.Request,
        record: RecordedRequest,
        path: str,
        json_body: Any,
        uploads: list[Upload],
    ) -> tuple[int, Any, dict[str, str]]:
        try:
            endpoint, params = self.router.match(request.method, path)
        except ApiError as exc:
            return exc.status, exc.body(), {}
        record.route = endpoint.template
        major = ":".join(params.get(p, "") for p in endpoint.major)
        api_request = ApiRequest(
            method=request.method,
            path=path,
            params=params,
            query=dict(request.query),
            json=json_body,
            uploads=uploads,
            record=record,
        )
        for hook in list(self.hooks):
            await hook(api_request)

        fault = self.faults.take(request.method, path, json_body)
        if fault is not None:
            record.fault_id = fault.id
            if fault.delay > 0:
                await asyncio.sleep(fault.delay)
            if fault.hang == "before" and await fault.hold(lambda: _client_gone(request)):
                return ABANDONED, None, {}
            if fault.status is not None:
                return self._fault_reply(fault, endpoint, major, record)
        answer = await self._answer(request, endpoint, major, api_request, record)
        if fault is not None and fault.hang == "after":
            await fault.hold(lambda: _client_gone(request))
        return answer

    async def _answer(
        self,
        request: web.Request,
        endpoint: Endpoint,
        major: str,
        api_request: ApiRequest,
        record: RecordedRequest,
    ) -> tuple[int, Any, dict[str, str]]:
        path = api_request.path

        if self.limiter.is_banned():
            record.rate_limited = "cloudflare"
            return 429, "error code: 1015", {"Retry-After": "3600"}

        if endpoint.auth and request.headers.get("Authorization") != f"Bot {self.token()}":
            return 401, {"message": "401: Unauthorized", "code": 0}, {}

        decision = self.limiter.check(
            endpoint.bucket_name, major, global_limited=endpoint.global_limited
        )
        if not decision.allowed:
            return self._too_many(decision, record)

        headers = decision.state.headers()
        try:
            reply = await endpoint.handler(api_request)
        except ApiError as exc:
            return exc.status, exc.body(), headers
        except Exception as exc:
            # An emulator bug. Answer 400 rather than 500 so discord.py fails at once instead
            # of retrying for 16 s, and say so in the message.
            log.exception("fakediscord handler crashed on %s %s", request.method, path)
            body = {"message": f"fakediscord crashed handling this request: {exc!r}", "code": 0}
            return 400, body, headers
        return reply.status, reply.body, headers

    def _too_many(
        self, decision: Decision, record: RecordedRequest
    ) -> tuple[int, Any, dict[str, str]]:
        record.rate_limited = "global" if decision.is_global else "user"
        body = {
            "message": "You are being rate limited.",
            "retry_after": round(decision.retry_after, 3),
            "global": decision.is_global,
        }
        if decision.is_global:
            body["code"] = 0
        return 429, body, too_many_requests_headers(decision)

    def _fault_reply(
        self, fault: Fault, endpoint: Endpoint, major: str, record: RecordedRequest
    ) -> tuple[int, Any, dict[str, str]]:
        assert fault.status is not None
        state: BucketState = self.limiter.peek(endpoint.bucket_name, major)
        if fault.status == 429:
            record.rate_limited = "fault"
            if not fault.via:
                return 429, "error code: 1015", {"Retry-After": str(int(fault.retry_after) or 1)}
            decision = Decision(
                False, state, retry_after=fault.retry_after, is_global=fault.is_global
            )
            status, body, headers = self._too_many(decision, record)
            record.rate_limited = "fault"
            return status, body, headers
        error = ApiError(fault.status, fault.code, fault.message, errors=fault.errors)
        return fault.status, error.body(), state.headers()


async def _read_body(request: web.Request) -> tuple[Any, list[Upload]]:
    if not request.can_read_body:
        return None, []
    content_type = request.content_type
    if content_type.startswith("multipart/"):
        payload: Any = None
        uploads: list[Upload] = []
        reader = await request.multipart()
        while True:
            part = await reader.next()
            if part is None:
                break
            if not isinstance(part, BodyPartReader):
                continue
            data = await part.read(decode=False)
            if part.name == "payload_json":
                payload = json.loads(bytes(data).decode())
            else:
                uploads.append(
                    Upload(
                        field=part.name or "",
                        filename=part.filename or part.name or "file",
                        data=bytes(data),
                        content_type=part.headers.get("Content-Type"),
                    )
                )
        return payload, uploads
    raw = await request.read()
    if not raw:
        return None, []
    try:
        return json.loads(raw), []
    except ValueError:
        return raw.decode(errors="replace"), []
