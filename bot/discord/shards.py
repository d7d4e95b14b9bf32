"""Shard reconnects that resume, like a plain ``discord.Client`` does.

discord.py 2.7's ``Shard.reconnect`` (run after a failed attempt to reach the gateway, e.g.
during an outage) opens a new session with IDENTIFY, so everything dispatched in between is
lost and every guild is sent again. ``Client.connect`` instead keeps trying to RESUME. This
gives each shard that behaviour: it resumes its session, and Discord's INVALID_SESSION still
makes it identify when the session really is gone. (discord.py is pinned; re-check on upgrade.)
"""

from __future__ import annotations

import discord
from discord.gateway import ReconnectWebSocket

__all__ = ["resume_on_reconnect"]


def resume_on_reconnect(client: discord.AutoShardedClient, shard_id: int) -> None:
    info = client.get_shard(shard_id)
    shard = getattr(info, "_parent", None)
    if shard is None or not hasattr(shard, "reidentify"):
        return

    async def reconnect() -> None:
        await shard.reidentify(ReconnectWebSocket(shard_id, resume=True))

    shard.reconnect = reconnect
