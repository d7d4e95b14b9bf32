"""World events to gateway dispatches: what a connected bot hears when the world changes,
filtered by each session's intents."""

from __future__ import annotations

from .channels import Channel, Message
from .constants import Intent
from .gateway import GatewayServer
from .guilds import Guild, Member, Role
from .payloads import (
    channel_payload,
    guild_create_payload,
    member_payload,
    message_event_payload,
    role_payload,
)
from .world import World


def dispatch_world_event(gateway: GatewayServer, world: World, event: str, obj: object) -> None:
    """Send ``event`` about ``obj`` to the sessions that would receive it."""
    if event == "GUILD_CREATE" and isinstance(obj, Guild):
        guild = obj
        gateway.dispatch(
            event,
            lambda i: guild_create_payload(guild, world, intents=i) if i & Intent.GUILDS else None,
            guild.id,
        )
    elif event == "GUILD_DELETE" and isinstance(obj, Guild):
        gone = {"id": str(obj.id)}  # no "unavailable": the bot was removed
        gateway.dispatch(event, lambda i: gone if i & Intent.GUILDS else None)
    elif event in ("CHANNEL_CREATE", "THREAD_CREATE") and isinstance(obj, Channel):
        data = channel_payload(obj, world)
        if event == "THREAD_CREATE":
            data["newly_created"] = True
        gateway.dispatch(event, lambda i: data if i & Intent.GUILDS else None, obj.guild_id)
    elif event == "GUILD_ROLE_CREATE" and isinstance(obj, Role):
        data = {"guild_id": str(obj.guild_id), "role": role_payload(obj)}
        gateway.dispatch(event, lambda i: data if i & Intent.GUILDS else None, obj.guild_id)
    elif event == "GUILD_MEMBER_ADD" and isinstance(obj, Member):
        data = {**member_payload(obj), "guild_id": str(obj.guild_id)}
        gateway.dispatch(event, lambda i: data if i & Intent.GUILD_MEMBERS else None, obj.guild_id)
    elif event in ("MESSAGE_CREATE", "MESSAGE_UPDATE") and isinstance(obj, Message):
        message = obj
        needed = Intent.GUILD_MESSAGES if message.guild_id else Intent.DIRECT_MESSAGES
        gateway.dispatch(
            event,
            lambda i: message_event_payload(message, world, intents=i) if i & needed else None,
            message.guild_id,
        )
    elif event == "MESSAGE_DELETE" and isinstance(obj, Message):
        data = {"id": str(obj.id), "channel_id": str(obj.channel_id)}
        if obj.guild_id is not None:
            data["guild_id"] = str(obj.guild_id)
        needed = Intent.GUILD_MESSAGES if obj.guild_id else Intent.DIRECT_MESSAGES
        gateway.dispatch(event, lambda i: data if i & needed else None, obj.guild_id)
