"""The discord.py side of ``bot.delivery.Courier``: REST calls and error mapping.

The delivery workers only know the typed errors of ``bot.delivery.courier``; this adapter is
the one place that knows Discord's codes:

- 403 with code 50007 (cannot send messages to this user) -> ``ClosedDMs``;
- other 403s (50001 missing access, 50013 missing permissions) -> ``Forbidden(code)``;
- 404 (10003 unknown channel, 10008 unknown message, 10013 unknown user) -> ``NotFound(code)``;
- 5xx, 429s discord.py gave up on (or was told not to wait for), timeouts and connection
  errors -> ``Transient``.

Mentions: ``AllowedMentions`` allows nothing but the announcement role the admin chose.

Request budget: every REST request made here first takes a token from ``limiter`` (the
process's share of Discord's 50 requests/s per bot, ``[discord] requests_per_second``), so
announcements and alert DMs together stay under the global limit instead of finding it with
429s; posts to one channel first keep to that channel's own limit (``ChannelPacer``). DM
channels are remembered per user (``DM_CHANNEL_CACHE`` of them; discord.py keeps only 128): a
DM costs one request once the channel is known, two the first time.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.delivery.courier import ClosedDMs, Forbidden, NotFound, RecentMessage, Transient
from bot.delivery.ratelimit import ChannelPacer, RateLimiter
from bot.discord.components import static_view
from bot.discord.replies import discord_files
from bot.render.announcements import markers_in
from bot.render.message import Attachment, Component, Embed

__all__ = ["DiscordCourier"]

CANNOT_DM = 50007
THREAD_ALREADY_EXISTS = 160004
TOO_MANY_REQUESTS = 429
UNKNOWN_CHANNEL = 10003
DM_CHANNEL_CACHE = 200_000  # user id -> DM channel id; ~100 bytes each


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
        raise Transient(None, _status_text(exc)) from exc
    except discord.HTTPException as exc:
        # discord.py gives up after five 429s in a row (or one without `Via`: Cloudflare)
        # and raises a plain HTTPException: still Discord asking us to come back later.
        if exc.status != TOO_MANY_REQUESTS:
            raise
        raise Transient(None, _status_text(exc)) from exc
    except (TimeoutError, aiohttp.ClientError) as exc:
        raise Transient(None, repr(exc)) from exc


def _status_text(exc: discord.HTTPException) -> str:
    """``500 Internal Server Error``: the status once, then Discord's text unless it only
    repeats the status (Discord's 5xx bodies say ``500: Internal Server Error``)."""
    text = exc.text.strip()
    status = str(exc.status)
    if text.startswith(status):
        text = text.removeprefix(status).lstrip(": ")
    return f"{status} {text}".strip()


def _recent(message: discord.Message) -> RecentMessage:
    footers = tuple(embed.footer.text or "" for embed in message.embeds if embed.footer)
    markers = markers_in([embed.to_dict() for embed in message.embeds])
    return RecentMessage(message.id, message.content, footers, markers)


class DiscordCourier:
    """``Courier`` over a logged-in discord.py client."""

    def __init__(
        self,
        client: discord.Client,
        *,
        limiter: RateLimiter | None = None,
        pacer: ChannelPacer | None = None,
        dm_cache_size: int = DM_CHANNEL_CACHE,
    ) -> None:
        self.client = client
        self.limiter = limiter
        self.dm_cache_size = dm_cache_size
        self.pacer = pacer
        self._dm_channels: OrderedDict[int, int] = OrderedDict()

    async def _budget(self) -> None:
        """Wait for this process's share of the global limit before one REST request."""
        if self.limiter is not None:
            await self.limiter.acquire()

    async def _messageable(self, channel_id: int) -> discord.abc.Messageable:
        channel = self.client.get_channel(channel_id)
        if channel is None:
            await self._budget()
            channel = await self.client.fetch_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            raise NotFound(10003, f"channel {channel_id} cannot hold messages")
        return channel

    async def _target(self, channel_id: int) -> discord.abc.Messageable:
        """Where to post: the cached channel, or (a thread just created, not yet announced
        by the gateway) a partial one, which costs no request; Discord answers 404 for a
        channel that is gone."""
        channel = self.client.get_channel(channel_id)
        if channel is None:
            return self.client.get_partial_messageable(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            raise NotFound(10003, f"channel {channel_id} cannot hold messages")
        return channel

    async def _dm_channel(self, user_id: int) -> discord.abc.Messageable:
        """The DM channel with a user: one request the first time, remembered after (no user
        lookup first: the bot has no member cache, and a fetch per DM would double the
        requests of a large alert run)."""
        channel_id = self._dm_channels.get(user_id)
        if channel_id is None:
            await self._budget()
            channel_id = (await self.client.create_dm(discord.Object(user_id))).id
            self._dm_channels[user_id] = channel_id
            if len(self._dm_channels) > self.dm_cache_size:
                self._dm_channels.popitem(last=False)
        else:
            self._dm_channels.move_to_end(user_id)
        return self.client.get_partial_messageable(channel_id, type=discord.ChannelType.private)

    async def post_message(
        self,
        channel_id: int,
        content: str,
        embeds: Sequence[Embed],
        allowed_role_id: int | None,
        *,
        files: Sequence[Attachment] = (),
        components: Sequence[Component] = (),
    ) -> int:
        mentions = discord.AllowedMentions(
            everyone=False,
            users=False,
            replied_user=False,
            roles=[discord.Object(allowed_role_id)] if allowed_role_id is not None else False,
        )
        async with _mapped():
            channel = await self._target(channel_id)
            if self.pacer is not None:
                await self.pacer.wait(channel_id)
            await self._budget()
            message = await channel.send(
                content=content or None,
                embeds=[discord.Embed.from_dict(embed) for embed in embeds],
                allowed_mentions=mentions,
                files=discord_files(files) or discord.utils.MISSING,
                view=static_view(components) if components else discord.utils.MISSING,
            )
        return message.id

    async def create_thread(self, channel_id: int, message_id: int, name: str) -> int:
        async with _mapped():
            channel = await self._messageable(channel_id)
            if not isinstance(channel, discord.TextChannel):
                raise Forbidden(0, "threads need a text or announcement channel")
            await self._budget()
            try:
                thread = await channel.get_partial_message(message_id).create_thread(name=name)
            except discord.HTTPException as exc:
                if exc.code == THREAD_ALREADY_EXISTS:  # resumed: the thread has the message's id
                    return message_id
                raise
        return thread.id

    async def recent_messages(self, channel_id: int, limit: int) -> list[RecentMessage]:
        async with _mapped():
            channel = await self._target(channel_id)
            await self._budget()
            return [_recent(message) async for message in channel.history(limit=limit)]

    async def send_dm(
        self, user_id: int, embeds: Sequence[Embed], *, components: Sequence[Component] = ()
    ) -> int:
        for attempt in (1, 2):
            known = user_id in self._dm_channels
            try:
                async with _mapped():
                    channel = await self._dm_channel(user_id)
                    await self._budget()
                    message = await channel.send(
                        embeds=[discord.Embed.from_dict(embed) for embed in embeds],
                        allowed_mentions=discord.AllowedMentions.none(),
                        view=static_view(components) if components else discord.utils.MISSING,
                    )
                return message.id
            except NotFound as exc:
                # A remembered channel that Discord no longer knows: open it again, once.
                if not (known and exc.code == UNKNOWN_CHANNEL and attempt == 1):
                    raise
                self._dm_channels.pop(user_id, None)
        raise AssertionError("unreachable")  # pragma: no cover

    async def recent_dms(self, user_id: int, limit: int) -> list[RecentMessage]:
        async with _mapped():
            channel = await self._dm_channel(user_id)
            await self._budget()
            return [_recent(message) async for message in channel.history(limit=limit)]


if TYPE_CHECKING:  # DiscordCourier must satisfy the workers' protocol
    from bot.delivery.courier import Courier

    _COURIER: type[Courier] = DiscordCourier
