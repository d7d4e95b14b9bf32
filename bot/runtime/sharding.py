"""Which guilds this process serves: pure shard arithmetic (Discord's rule), discord-free.

Discord sends a guild's events to shard ``(guild_id >> 22) % shard_count``. Several processes
of one bot share the store, each running some of the shards; each announces only the guilds
of its own shards (their channels are in its cache), and the store's delivery claims make a
guild's announcement exactly-once even if two processes disagreed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

__all__ = ["Shards", "shard_of"]


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord gives ``guild_id`` when the bot runs ``shard_count`` shards."""
    return (guild_id >> 22) % shard_count


@dataclass(frozen=True, slots=True)
class Shards:
    """The shards of one process: ``ids`` None means every shard (then every guild is ours)."""

    count: int | None = None
    ids: frozenset[int] | None = None

    @classmethod
    def of(cls, count: int | None, ids: Collection[int] | None) -> Shards:
        return cls(count, frozenset(ids) if ids is not None else None)

    def owns(self, guild_id: int) -> bool:
        if self.ids is None or self.count is None:
            return True
        return shard_of(guild_id, self.count) in self.ids
