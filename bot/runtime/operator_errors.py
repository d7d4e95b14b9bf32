"""Operator faults as one line: what is wrong, which file or variable, what to do.

The one place that turns an exception into the line ``paperbot`` prints on stderr and the
status it exits with: 2 for configuration (settings, config file, environment, token), 1 for
everything found at run time (the store, files, anything unexpected). The full traceback is
printed too only at log level DEBUG. No line ever shows a setting's value: the token cannot
leak through an error.

    sys.exit(report_faults(lambda: run(args), debug=lambda: level == "DEBUG"))
"""

from __future__ import annotations

import os
import socket
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.settings import (
    CONFIG_ENV,
    ENV_PREFIX,
    TOKEN_ENV,
    TOKEN_FILE_ENV,
    ConfigFileMissingError,
    ConfigFileUnreadableError,
    DigestPathsMissingError,
    InvalidSettingsError,
    TokenFileError,
    TokenInConfigFileError,
    UnknownEnvironmentError,
    section_names,
)
from bot.store import StoreError, StoreUnusableError

__all__ = [
    "EXIT_CONFIG",
    "EXIT_RUNTIME",
    "Fault",
    "TokenRejectedError",
    "explain",
    "report_faults",
]

EXIT_RUNTIME = 1
EXIT_CONFIG = 2
EXAMPLE = "config.example.toml lists every setting"
DEBUG_HINT = "(run with --log-level DEBUG for the traceback)"


class TokenRejectedError(Exception):
    """Discord answered 401 at login: the token is wrong or was reset (raised by the runner,
    which knows discord.py's exception; the core does not import discord.py). ``source``
    says where the token came from, never the token."""

    def __init__(self, source: str) -> None:
        super().__init__(f"Discord rejected the token from {source}")
        self.source = source


@dataclass(frozen=True, slots=True)
class Fault:
    line: str
    status: int


def report_faults(body: Callable[[], int], *, debug: Callable[[], bool]) -> int:
    """Run ``body``; an exception becomes one line on stderr and an exit status."""
    try:
        return body()
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        fault = explain(exc)
        line = fault.line
        if debug():
            traceback.print_exception(exc, file=sys.stderr)
            line = line.replace(f" {DEBUG_HINT}", "")  # it is printed just above
        line = " ".join(line.splitlines())
        print(f"error: {line}", file=sys.stderr, flush=True)
        return fault.status


def explain(exc: BaseException) -> Fault:
    """The line and exit status for ``exc``."""
    config = _config_fault(exc)
    if config is not None:
        return Fault(config, EXIT_CONFIG)
    if isinstance(exc, StoreUnusableError):
        return Fault(_store_line(exc), EXIT_RUNTIME)
    if isinstance(exc, StoreError):
        return Fault(f"the store cannot be used: {exc}", EXIT_RUNTIME)
    unreachable = _connection_fault(exc)
    if unreachable is not None:
        return Fault(unreachable, EXIT_RUNTIME)
    if isinstance(exc, OSError) and exc.filename is not None:
        return Fault(
            f"{exc.filename}: {exc.strerror or exc}: check the path and its permissions",
            EXIT_RUNTIME,
        )
    return Fault(f"unexpected {type(exc).__name__}: {_first_line(exc)} {DEBUG_HINT}", EXIT_RUNTIME)


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _connection_fault(exc: BaseException) -> str | None:
    """No network, a name that does not resolve, a refused connection: where to, and what to
    check. aiohttp's (discord.py's) errors carry ``host`` and ``port``; read by duck typing,
    so the core needs no HTTP library."""
    chain = _causes(exc)
    if not any(isinstance(error, ConnectionError | socket.gaierror) for error in chain) and not (
        isinstance(exc, OSError) and hasattr(exc, "host")
    ):
        return None
    host = next((getattr(e, "host", None) for e in chain if getattr(e, "host", None)), None)
    port = next((getattr(e, "port", None) for e in chain if getattr(e, "port", None)), None)
    where = f"{host}:{port}" if host and port else (host or "the network")
    if any(isinstance(error, socket.gaierror) for error in chain):
        what = "its name does not resolve (no network, or DNS is down)"
    elif any(isinstance(error, ConnectionRefusedError) for error in chain):
        what = "the connection was refused"
    else:
        what = "the connection failed"
    detail = next(
        (e.strerror for e in chain if isinstance(e, OSError) and e.strerror), _first_line(exc)
    )
    return (
        f"cannot reach {where}: {what} ({detail}): check the network connection and DNS "
        "(or [discord] rest_url and gateway_url), then start paperbot again"
    )


def _config_fault(exc: BaseException) -> str | None:
    if isinstance(exc, ConfigFileMissingError):
        if exc.is_folder:
            return (
                f"{CONFIG_ENV} names {exc.path}, which is a folder: name the configuration "
                f"file itself (e.g. {exc.path / 'config.toml'}; {EXAMPLE}) or unset {CONFIG_ENV}"
            )
        return (
            f"{CONFIG_ENV} names {exc.path}, which does not exist: create it "
            f"({EXAMPLE}) or unset {CONFIG_ENV}"
        )
    if isinstance(exc, DigestPathsMissingError):
        return (
            f"{exc.source}: [digests] paths: no such file or folder: "
            f"{', '.join(map(str, exc.paths))}: create it or fix the path ({EXAMPLE})"
        )
    if isinstance(exc, ConfigFileUnreadableError):
        return f"{exc.path}: {exc.detail}: fix the file ({EXAMPLE})"
    if isinstance(exc, TokenInConfigFileError):
        return (
            f"{exc.path}: the Discord token does not go in the configuration file (found "
            f"{exc.key!r}): remove it and set {TOKEN_ENV} or {TOKEN_FILE_ENV} in the environment"
        )
    if isinstance(exc, UnknownEnvironmentError):
        sections = ", ".join(section_names())
        return (
            f"{', '.join(exc.names)}: no such setting (the sections are {sections}, "
            f"e.g. {ENV_PREFIX}STORE__PATH): fix the name or unset it"
        )
    if isinstance(exc, InvalidSettingsError):
        return _settings_line(exc)
    if isinstance(exc, TokenFileError):
        return (
            f"{TOKEN_FILE_ENV} names {exc.path}, which {exc.detail}: point it at the file "
            "that holds the bot token"
        )
    if isinstance(exc, TokenRejectedError):
        return (
            f"Discord rejected the token from {exc.source} (401 Unauthorized at login): put "
            "the bot's current token there (Developer Portal, Bot, Reset Token)"
        )
    return None


def _settings_line(exc: InvalidSettingsError) -> str:
    first: dict[str, Any] = dict(exc.errors[0])
    loc: Sequence[str | int] = first["loc"]
    where = _source_of(loc, exc.config_file)
    names = [str(part) for part in loc if isinstance(part, str)]
    setting = f"[{names[0]}] {'.'.join(names[1:])}" if len(names) > 1 else f"[{names[0]}]"
    more = len(exc.errors) - 1
    also = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    if first["type"] == "extra_forbidden":
        what = f"unknown {'section' if len(names) == 1 else 'setting'} {setting}"
        return f"{where}: {what}{also}: fix or remove it ({EXAMPLE})"
    return f"{where}: {setting}: {first['msg']}{also}: fix the value ({EXAMPLE})"


def _source_of(loc: Sequence[str | int], config_file: Path | None) -> str:
    """The environment variable that set ``loc``, else the configuration file: the
    environment wins over the file, so a variable that is set is the one read."""
    parts = [str(part).upper() for part in loc if isinstance(part, str)]
    present = {name.upper() for name in os.environ}
    for end in range(len(parts), 0, -1):
        name = ENV_PREFIX + "__".join(parts[:end])
        if name in present:
            return name
    return str(config_file) if config_file is not None else "the settings"


def _store_line(exc: StoreUnusableError) -> str:
    path, detail = exc.path, exc.detail
    away = "or move it away to start a new store"
    advice = {
        "not_a_store": f"{path} is not a paperbot store ({detail}): point --db or "
        f"{ENV_PREFIX}STORE__PATH at the store, {away}",
        "foreign": f"{path} is {detail}: it was left unchanged; point --db or "
        f"{ENV_PREFIX}STORE__PATH at a paperbot store or a new file",
        "truncated": f"the store {path} is {detail}: restore it from a backup, {away}",
        "corrupt": f"the store {path} is {detail}: restore it from a backup, {away}",
        "newer": f"the store {path} was written by a newer paperbot ({detail}): run that "
        "version, or restore a backup from before the upgrade",
        "outdated": f"the store {path} is {detail} and read-only here: open it once with "
        "write access (e.g. `paperbot stats` as its owner) to upgrade it",
        "read_only": f"the store {path} cannot be written: {detail}; `search`, `random`, "
        "`stats` and `health` can read it, but to write it (ingest, the bot) run as the user "
        "who owns it, or give this user write access to the file and its folder",
        "cannot_open": f"cannot open the store {path} ({detail}): it must be a file in a "
        "folder the bot's user can read and write",
    }
    return advice[exc.problem]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else "(no message)"
