"""Fault injection: make a route fail (or stall) the next N times it is called."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from .matching import method_matches, path_matches

BodyPredicate = Callable[[Any], bool]
#: ``"before"``: hold the request unprocessed; ``"after"``: process it, withhold the answer.
Hang = Literal["before", "after"]
HOLD_POLL = 0.02  # seconds between checks of a held request's client


@dataclass
class Fault:
    """One rule. ``status=None`` with ``delay`` only slows the request down and lets it through.

    * ``status=429``: a rate-limit answer with ``Via``, ``retry_after`` and ``global``, which
      discord.py sleeps on and retries (``via=False`` imitates a Cloudflare ban instead).
    * ``status=500/502/504``: discord.py retries after 1, 3, 7... seconds.
    * ``status=403, code=50007``: "Cannot send messages to this user", and so on.
    * ``hang="before"``: hold the request until :meth:`release`; if its client went away
      meanwhile (a killed bot), it is dropped unprocessed, as a dead connection would be.
    * ``hang="after"``: process the request (the message exists), then withhold the answer
      until :meth:`release` or the client goes away: "Discord accepted it, the bot never
      heard", the window a crash-safe client must survive.
    """

    method: str | None
    pattern: str
    status: int | None = None
    code: int = 0
    message: str | None = None
    errors: dict[str, Any] | None = None
    times: int | None = 1
    retry_after: float = 0.1
    is_global: bool = False
    via: bool = True
    delay: float = 0.0
    #: Only fire when the parsed JSON body satisfies this.
    when: BodyPredicate | None = None
    hang: Hang | None = None
    id: int = 0
    hits: int = 0
    #: Requests held right now (``hang``).
    held: int = 0
    released: bool = False

    def release(self) -> None:
        """Let held requests go (and stop holding new ones)."""
        self.released = True

    async def hold(self, gone: Callable[[], bool]) -> bool:
        """Hold a request until released or until its client is ``gone``; True if gone."""
        self.held += 1
        try:
            while not self.released:
                if gone():
                    return True
                await asyncio.sleep(HOLD_POLL)
            return gone()
        finally:
            self.held -= 1

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times

    def matches(self, method: str, path: str, body: Any) -> bool:
        if self.exhausted or not method_matches(self.method, method):
            return False
        if not path_matches(self.pattern, path):
            return False
        return self.when is None or self.when(body)


@dataclass
class FaultRules:
    """``fake.faults``: rules are tried in the order added; the first live match fires."""

    rules: list[Fault] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def add(
        self,
        method: str | None,
        pattern: str,
        *,
        status: int | None = None,
        code: int = 0,
        message: str | None = None,
        errors: dict[str, Any] | None = None,
        times: int | None = 1,
        retry_after: float = 0.1,
        is_global: bool = False,
        via: bool = True,
        delay: float = 0.0,
        when: BodyPredicate | None = None,
        hang: Hang | None = None,
    ) -> Fault:
        """Add a rule; ``times=None`` keeps it firing until removed."""
        if status is None and delay <= 0 and hang is None:
            raise ValueError("a fault needs a status, a delay, a hang, or some of them")
        if hang == "after" and status is not None:
            raise ValueError("hang='after' lets the request through: no status")
        fault = Fault(
            method=method,
            pattern=pattern,
            status=status,
            code=code,
            message=message,
            errors=errors,
            times=times,
            retry_after=retry_after,
            is_global=is_global,
            via=via,
            delay=delay,
            when=when,
            hang=hang,
            id=next(self._ids),
        )
        self.rules.append(fault)
        return fault

    def delay(
        self, method: str | None, pattern: str, seconds: float, *, times: int | None = 1
    ) -> Fault:
        """Hold matching requests for ``seconds`` before handling them normally."""
        return self.add(method, pattern, delay=seconds, times=times)

    def hang(
        self,
        method: str | None,
        pattern: str,
        *,
        processed: bool = False,
        times: int | None = 1,
        when: BodyPredicate | None = None,
    ) -> Fault:
        """Hold matching requests until ``fault.release()``: unprocessed, or (``processed``)
        processed with the answer withheld. A killed client's held request is dropped."""
        return self.add(
            method, pattern, hang="after" if processed else "before", times=times, when=when
        )

    def release_all(self) -> None:
        """Let every held request go (the emulator closing must not wait on them)."""
        for fault in self.rules:
            fault.release()

    def remove(self, fault: Fault) -> None:
        self.rules = [f for f in self.rules if f is not fault]

    def clear(self) -> None:
        self.release_all()
        self.rules.clear()

    def take(self, method: str, path: str, body: Any) -> Fault | None:
        for fault in self.rules:
            if fault.matches(method, path, body):
                fault.hits += 1
                return fault
        return None
