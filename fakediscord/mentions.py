"""Mention parsing and ``allowed_mentions``: who a message names, and who it actually pings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .channels import Pings

_USER = re.compile(r"<@!?(\d+)>")
_ROLE = re.compile(r"<@&(\d+)>")
_EVERYONE = re.compile(r"@(everyone|here)\b")


@dataclass(frozen=True)
class Mentions:
    users: tuple[int, ...]
    roles: tuple[int, ...]
    everyone: bool


def parse_mentions(content: str) -> Mentions:
    users = tuple(dict.fromkeys(int(m) for m in _USER.findall(content)))
    roles = tuple(dict.fromkeys(int(m) for m in _ROLE.findall(content)))
    return Mentions(users=users, roles=roles, everyone=bool(_EVERYONE.search(content)))


def resolve_pings(
    content: str,
    allowed: dict[str, Any] | None,
    *,
    replied_user: int | None = None,
) -> Pings:
    """Apply Discord's ``allowed_mentions`` rules to the mentions found in ``content``.

    No ``allowed_mentions`` at all means Discord's default: every parsed mention pings (and a
    reply pings its author). Role mentionability is not modelled: a role mention that the
    rules allow counts as a ping.
    """
    found = parse_mentions(content)
    if allowed is None:
        users = set(found.users)
        if replied_user is not None:
            users.add(replied_user)
        return Pings(users=frozenset(users), roles=frozenset(found.roles), everyone=found.everyone)
    parse = set(allowed.get("parse") or [])
    allowed_users = {int(u) for u in allowed.get("users") or []}
    allowed_roles = {int(r) for r in allowed.get("roles") or []}
    users = {u for u in found.users if "users" in parse or u in allowed_users}
    roles = {r for r in found.roles if "roles" in parse or r in allowed_roles}
    if replied_user is not None and allowed.get("replied_user"):
        users.add(replied_user)
    return Pings(
        users=frozenset(users),
        roles=frozenset(roles),
        everyone=found.everyone and "everyone" in parse,
    )
