"""Errors a handler raises to answer a request the way Discord would."""

from __future__ import annotations

from typing import Any

from .constants import ERROR_MESSAGES, ErrorCode


class ApiError(Exception):
    """An error response: HTTP status plus Discord's JSON ``{code, message, errors?}`` body."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str | None = None,
        *,
        errors: dict[str, Any] | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.message = message or ERROR_MESSAGES.get(code) or _default_message(status)
        self.errors = errors
        super().__init__(f"{status} {self.message} (code {code})")

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


def _default_message(status: int) -> str:
    reasons = {
        400: "400: Bad Request",
        401: "401: Unauthorized",
        403: "403: Forbidden",
        404: "404: Not Found",
        405: "405: Method Not Allowed",
        500: "500: Internal Server Error",
        502: "502: Bad Gateway",
        503: "503: Service Unavailable",
        504: "504: Gateway Timeout",
    }
    return reasons.get(status, f"{status}: Error")


def not_found(code: ErrorCode) -> ApiError:
    return ApiError(404, code)


class FormErrors:
    """Collects field errors into Discord's nested ``errors`` shape.

    ``add(("embeds", 0, "description"), "BASE_TYPE_MAX_LENGTH", "Must be 4096 or fewer in
    length.")`` becomes ``{"embeds": {"0": {"description": {"_errors": [{code, message}]}}}}``.
    """

    def __init__(self) -> None:
        self.tree: dict[str, Any] = {}

    def add(self, path: tuple[str | int, ...], code: str, message: str) -> None:
        node = self.tree
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def max_length(self, path: tuple[str | int, ...], limit: int) -> None:
        self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def __bool__(self) -> bool:
        return bool(self.tree)

    def raise_if_any(self) -> None:
        if self.tree:
            raise ApiError(400, ErrorCode.INVALID_FORM_BODY, errors=self.tree)
