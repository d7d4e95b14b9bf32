"""Typed lines to slash commands, as Discord's client would build them from the synced schema.

`/paper random tag:rlhf` becomes ("paper random", {"tag": "rlhf"}). Names are accepted in
English or as the Korean localisations the bot synced (`/논문 랜덤 태그:rlhf`); a misspelt
option or a value that is none of an option's choices is refused with the nearest names,
never passed on as query text.
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Iterable
from typing import Any

from fakediscord import Guild, User

__all__ = ["CommandError", "parse_command"]

SUBCOMMAND_TYPES = (1, 2)
_OPTION_WORD = re.compile(r"^([^\W\d][\w-]*):(.*)$", re.UNICODE)


class CommandError(LookupError):
    """The line is not a command the bot has; the message says what would be."""


def _names(item: dict[str, Any]) -> list[str]:
    """An item's name and its localised names (the Korean ones the bot synced)."""
    localised = item.get("name_localizations") or {}
    return [str(item["name"]), *(str(name) for name in localised.values())]


def _find(items: Iterable[dict[str, Any]], word: str) -> dict[str, Any] | None:
    folded = word.casefold()
    for item in items:
        if folded in (name.casefold() for name in _names(item)):
            return item
    return None


def _did_you_mean(word: str, items: Iterable[dict[str, Any]]) -> str:
    candidates = [name for item in items for name in _names(item)]
    near = difflib.get_close_matches(word, candidates, n=2, cutoff=0.5)
    return f"; did you mean {' or '.join(near)}?" if near else ""


def parse_command(
    commands: list[dict[str, Any]], text: str, guild: Guild, user: User
) -> tuple[str, dict[str, Any]]:
    """The command's qualified English name and its typed options.

    Words after the command that are not `name:value` fill the first text option, so
    `/search large language models` works as it does in Discord's box.
    """
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.split()
    command = _find(commands, words[0]) if words else None
    if command is None:
        known = ", ".join(f"/{c['name']}" for c in sorted(commands, key=lambda c: c["name"]))
        typed = f" /{words[0]}" if words else ""
        hint = _did_you_mean(words[0], commands) if words else ""
        raise CommandError(f"unknown command{typed}{hint}; try one of {known}")
    words.pop(0)
    path = [str(command["name"])]
    schema = command
    while True:
        subs = [o for o in schema.get("options", []) if o.get("type") in SUBCOMMAND_TYPES]
        if not subs:
            break
        sub = _find(subs, words[0]) if words else None
        if sub is None:
            names = ", ".join(o["name"] for o in subs)
            raise CommandError(f"/{' '.join(path)} needs one of: {names}")
        words.pop(0)
        path.append(str(sub["name"]))
        schema = sub
    params = list(schema.get("options", []))
    options: dict[str, Any] = {}
    free: list[str] = []
    for word in words:
        match = _OPTION_WORD.match(word)
        if match is None:
            free.append(word)
            continue
        param = _find(params, match.group(1))
        if param is None:
            names = ", ".join(f"{o['name']}:" for o in params) or "none"
            raise CommandError(
                f"/{' '.join(path)} has no option {match.group(1)}:"
                f"{_did_you_mean(match.group(1), params)} (options: {names})"
            )
        options[str(param["name"])] = match.group(2)
    if free:
        first_text = next(
            (o for o in params if o.get("type") == 3 and o["name"] not in options), None
        )
        if first_text is None:
            names = ", ".join(f"{o['name']}:" for o in params) or "none"
            raise CommandError(f"/{' '.join(path)} takes no free text (options: {names})")
        options[str(first_text["name"])] = " ".join(free)
    by_name = {str(o["name"]): o for o in params}
    values = {key: _typed(by_name[key], value, guild, user) for key, value in options.items()}
    return " ".join(path), values


def _typed(schema: dict[str, Any], value: str, guild: Guild, user: User) -> Any:
    """A typed word as Discord's client would send it: choices by name, channels by name."""
    choices = schema.get("choices") or []
    if choices:
        return _choice(schema, choices, value)
    kind = schema.get("type")
    name = schema["name"]
    if kind == 7:  # channel
        return guild.channel(value.lstrip("#"))
    if kind == 8:  # role
        return guild.role(value.lstrip("@"))
    if kind == 6:  # user
        return user
    try:
        if kind == 4:
            return int(value)
        if kind == 10:
            return float(value)
    except ValueError:
        raise CommandError(f"{name}: {value!r} is not a number") from None
    if kind == 5:
        return value.casefold() in {"true", "yes", "1", "on"}
    return value


def _choice(schema: dict[str, Any], choices: list[dict[str, Any]], value: str) -> Any:
    """The choice whose name (English or Korean) or value is ``value``, or which it uniquely
    begins: `monday`, `Mon`, `월요일` and `월` all pick Monday."""
    folded = value.casefold()
    exact = [c for c in choices if folded in {n.casefold() for n in (*_names(c), str(c["value"]))}]
    starts = [c for c in choices if any(n.casefold().startswith(folded) for n in _names(c))]
    found = exact or (starts if folded and len(starts) == 1 else [])
    if found:
        return found[0]["value"]
    names = ", ".join(str(c["name"]) for c in choices)
    raise CommandError(f"{schema['name']}: {value!r} is not one of {names}")
