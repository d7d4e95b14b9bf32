"""The discord.py side of ``bot.delivery.Courier``: REST calls and error mapping.

The delivery workers only know the typed errors of ``bot.delivery.courier``; this adapter is
the one place that knows Discord's codes:

- 403 with code 50007 (cannot send messages to this user) -> ``ClosedDMs``;
- other 403s (50001 missing access, 50013 missing permissions) -> ``Forbidden(code)``;
- 404 (10003 unknown channel, 10008 unknown message, 10013 unknown user) -> ``NotFound(code)``;
- 5xx, rate limits discord.py gave up on, timeouts and connection errors -> ``Transient``.

Mentions: ``AllowedMentions`` allows nothing but the announcement role the admin chose.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from bot.delivery.courier import ClosedDMs, Forbidden, NotFound, RecentMessage, Transient
from bot.discord.components import static_view

__all__ = ["DiscordCourier"]

CANNOT_DM = 50007
THREAD_ALREADY_EXISTS = 160004

Embed = dict[str, Any]


@asynccontextmanager
async def _mapped() -> AsyncIterator[None]:
    try:
        yield
    except discord.Forbidden as exc:
        if exc.code == CANNOT_DM:
            raise ClosedDMs(exc.text) from exc
        raise Forbidden(exc.code, exc.text) from exc
    except discord.NotFound as exc:
        raise NotFound(exc.code, exc.text) from exc
    except discord.RateLimited as exc:
        raise Transient(exc.retry_after, str(exc)) from exc
    except discord.DiscordServerError as exc:
        raise Transient(None, f"{exc.status} {exc.text}") from exc
    except (TimeoutError, aiohttp.ClientError) as exc:
        raise Transient(None, repr(exc)) from exc


def _recent(message: discord.Message) -> RecentMessage:
    footers = tuple(embed.footer.text or "" for embed in message.embeds if embed.footer)
    return RecentMessage(message.id, message.content, footers)


class DiscordCourier:
    """``Courier`` over a logged-in discord.py client."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    async def _messageable(self, channel_id: int) -> discord.abc.Messageable:
        channel = self.client.get_channel(channel_id)
        if channel is None:
            channel = await self.client.fetch_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            raise NotFound(10003, f"channel {channel_id} cannot hold messages")
        return channel

    async def _dm_channel(self, user_id: int) -> discord.DMChannel:
        """The DM channel with a user: one request the first time, cached after (no user
        lookup first: the bot has no member cache, and a fetch per DM would double the
        requests of a large alert run)."""
        return await self.client.create_dm(discord.Object(user_id))

    async def post_message(
        self,
        channel_id: int,
        content: str,
        embeds: Sequence[Embed],
        allowed_role_id: int | None,
        *,
        components: Sequence[Embed] = (),
    ) -> int:
        mentions = discord.AllowedMentions(
            everyone=False,
            users=False,
            replied_user=False,
            roles=[discord.Object(allowed_role_id)] if allowed_role_id is not None else False,
        )
        async with _mapped():
            channel = await self._messageable(channel_id)
            message = await channel.send(
                content=content or None,
                embeds=[discord.Embed.from_dict(embed) for embed in embeds],
                allowed_mentions=mentions,
                view=static_view(components) if components else discord.utils.MISSING,
            )
        return message.id

    async def create_thread(self, channel_id: int, message_id: int, name: str) -> int:
        async with _mapped():
            channel = await self._messageable(channel_id)
            if not isinstance(channel, discord.TextChannel):
                raise Forbidden(0, "threads need a text or announcement channel")
            try:
                thread = await channel.get_partial_message(message_id).create_thread(name=name)
            except discord.HTTPException as exc:
                if exc.code == THREAD_ALREADY_EXISTS:  # resumed: the thread has the message's id
                    return message_id
                raise
        return thread.id

    async def recent_messages(self, channel_id: int, limit: int) -> list[RecentMessage]:
        async with _mapped():
            channel = await self._messageable(channel_id)
            return [_recent(message) async for message in channel.history(limit=limit)]

    async def send_dm(
        self, user_id: int, embeds: Sequence[Embed], *, components: Sequence[Embed] = ()
    ) -> int:
        async with _mapped():
            channel = await self._dm_channel(user_id)
            message = await channel.send(
                embeds=[discord.Embed.from_dict(embed) for embed in embeds],
                allowed_mentions=discord.AllowedMentions.none(),
                view=static_view(components) if components else discord.utils.MISSING,
            )
        return message.id

    async def recent_dms(self, user_id: int, limit: int) -> list[RecentMessage]:
        async with _mapped():
            channel = await self._dm_channel(user_id)
            return [_recent(message) async for message in channel.history(limit=limit)]


if TYPE_CHECKING:  # DiscordCourier must satisfy the workers' protocol
    from bot.delivery.courier import Courier

    _COURIER: type[Courier] = DiscordCourier
