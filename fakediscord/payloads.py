"""World objects -> the JSON Discord sends (REST bodies and gateway ``d`` payloads).

Every builder here is checked against discord.py 2.7.1 by a smoke test in
``tests/fakediscord/test_payloads.py``; keep them in step when Discord's shapes change.
"""

from __future__ import annotations

from typing import Any

from .channels import Channel, Message
from .constants import Intent
from .guilds import Guild, Member, Role
from .users import User
from .world import Application, World


def snowflake(value: int | None) -> str | None:
    return None if value is None else str(value)


def user_payload(user: User) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(user.id),
        "username": user.username,
        "global_name": user.global_name,
        "discriminator": "0",
        "avatar": user.avatar,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
        "primary_guild": None,
        "collectibles": None,
    }
    if user.bot:
        payload["bot"] = True
    return payload


def client_user_payload(user: User) -> dict[str, Any]:
    """``GET /users/@me`` and READY's ``user``: the bot's own account."""
    return {
        **user_payload(user),
        "verified": True,
        "mfa_enabled": False,
        "email": None,
        "locale": user.locale,
        "bot": True,
    }


def application_payload(app: Application) -> dict[str, Any]:
    return {
        "id": str(app.id),
        "name": app.name,
        "icon": None,
        "description": app.description,
        "summary": "",
        "type": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": app.verify_key,
        "flags": app.flags,
        "owner": user_payload(app.owner),
        "team": None,
        "rpc_origins": [],
        "tags": [],
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "approximate_guild_count": 0,
    }


def role_payload(role: Role) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(role.id),
        "name": role.name,
        "color": role.color,
        "colors": {"primary_color": role.color, "secondary_color": None, "tertiary_color": None},
        "hoist": role.hoist,
        "icon": None,
        "unicode_emoji": None,
        "position": role.position,
        "permissions": str(role.permissions),
        "managed": role.managed,
        "mentionable": role.mentionable,
        "flags": 0,
    }
    if role.bot_id is not None:
        payload["tags"] = {"bot_id": str(role.bot_id)}
    return payload


def member_payload(member: Member, *, with_user: bool = True) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "roles": [str(r) for r in member.role_ids],
        "nick": member.nick,
        "avatar": None,
        "banner": None,
        "joined_at": member.joined_at,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }
    if with_user:
        payload["user"] = user_payload(member.user)
    return payload


def channel_payload(channel: Channel, world: World) -> dict[str, Any]:
    if channel.is_dm:
        return {
            "id": str(channel.id),
            "type": int(channel.type),
            "last_message_id": snowflake(channel.last_message_id),
            "flags": 0,
            "recipients": [user_payload(u) for u in channel.members]
            if channel.members
            else [user_payload(channel.recipient)]
            if channel.recipient
            else [],
        }
    payload: dict[str, Any] = {
        "id": str(channel.id),
        "type": int(channel.type),
        "guild_id": snowflake(channel.guild_id),
        "name": channel.name,
        "position": channel.position,
        "parent_id": snowflake(channel.parent_id),
        "nsfw": channel.nsfw,
        "rate_limit_per_user": channel.rate_limit_per_user,
        "last_message_id": snowflake(channel.last_message_id),
        "flags": 0,
    }
    if channel.is_thread:
        live = [m for m in channel.messages if not m.deleted]
        payload.update(
            {
                "owner_id": snowflake(channel.owner_id),
                "message_count": len(live),
                "total_message_sent": len(channel.messages),
                "member_count": 1,
                "thread_metadata": {
                    "archived": channel.archived,
                    "auto_archive_duration": channel.auto_archive_duration,
                    "archive_timestamp": channel.created_at,
                    "locked": channel.locked,
                    "invitable": channel.invitable,
                    "create_timestamp": channel.created_at,
                },
                "applied_tags": [],
            }
        )
        del payload["position"]
    else:
        payload["topic"] = channel.topic
        payload["permission_overwrites"] = [
            {"id": str(o.id), "type": o.type, "allow": str(o.allow), "deny": str(o.deny)}
            for o in channel.overwrites
        ]
        if channel.type == 15:
            payload.update(
                {
                    "available_tags": [],
                    "default_reaction_emoji": None,
                    "default_sort_order": None,
                    "default_forum_layout": 0,
                    "default_thread_rate_limit_per_user": 0,
                }
            )
    return payload


def interaction_channel_payload(channel: Channel, world: World, user: User) -> dict[str, Any]:
    """The partial channel inside an interaction or ``resolved.channels``: adds ``permissions``."""
    payload = channel_payload(channel, world)
    guild = world.guild_of(channel)
    if guild is not None:
        payload["permissions"] = str(guild.permissions_in(user, channel))
    return payload


def guild_base_payload(guild: Guild) -> dict[str, Any]:
    return {
        "id": str(guild.id),
        "name": guild.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(guild.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "premium_progress_bar_enabled": False,
        "preferred_locale": guild.preferred_locale,
        "system_channel_id": snowflake(guild.system_channel_id),
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "features": [],
        "max_members": 500000,
        "max_video_channel_users": 25,
        "application_id": None,
        "roles": [role_payload(r) for r in guild.roles.values()],
        "emojis": [],
        "stickers": [],
        "incidents_data": None,
    }


def guild_create_payload(guild: Guild, world: World, *, intents: int) -> dict[str, Any]:
    """GUILD_CREATE: without the members intent only the bot's own member is included."""
    members = list(guild.members.values())
    if not intents & Intent.GUILD_MEMBERS:
        members = [m for m in members if m.user is world.bot]
    channels = [c for c in guild.channels if not c.is_thread]
    threads = [c for c in guild.channels if c.is_thread and not c.archived]
    return {
        **guild_base_payload(guild),
        "unavailable": False,
        "joined_at": guild.joined_at,
        "large": len(guild.members) >= 250,
        "lazy": True,
        "member_count": len(guild.members),
        "members": [member_payload(m) for m in members],
        "channels": [channel_payload(c, world) for c in channels],
        "threads": [channel_payload(c, world) for c in threads],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


def attachment_payload(message: Message) -> list[dict[str, Any]]:
    return [
        {
            "id": str(a.id),
            "filename": a.filename,
            "size": a.size,
            "url": a.url,
            "proxy_url": a.url,
            "content_type": a.content_type,
            "description": a.description,
        }
        for a in message.attachments
    ]


def message_payload(message: Message, world: World) -> dict[str, Any]:
    reactions = [
        {
            "emoji": {"id": None, "name": emoji},
            "count": len(users),
            "count_details": {"burst": 0, "normal": len(users)},
            "me": world.bot.id in users,
            "me_burst": False,
            "burst_colors": [],
        }
        for emoji, users in message.reactions.items()
        if users
    ]
    payload: dict[str, Any] = {
        "id": str(message.id),
        "channel_id": str(message.channel_id),
        "type": message.type,
        "content": message.content,
        "author": user_payload(message.author),
        "embeds": message.embeds,
        "attachments": attachment_payload(message),
        "mentions": [user_payload(world.users[u]) for u in message.mention_ids if u in world.users],
        "mention_roles": [str(r) for r in message.mention_role_ids],
        "mention_everyone": message.mention_everyone,
        "pinned": message.pinned,
        "tts": message.tts,
        "timestamp": message.timestamp,
        "edited_timestamp": message.edited_timestamp,
        "flags": message.flags,
        "components": message.components,
        "reactions": reactions,
    }
    if message.guild_id is not None:
        payload["guild_id"] = str(message.guild_id)
    if message.webhook_id is not None:
        payload["webhook_id"] = str(message.webhook_id)
    if message.application_id is not None:
        payload["application_id"] = str(message.application_id)
    if message.interaction_metadata is not None:
        payload["interaction_metadata"] = message.interaction_metadata
    if message.message_reference is not None:
        payload["message_reference"] = message.message_reference
        ref_id = message.message_reference.get("message_id")
        ref = world.find_message(int(ref_id)) if ref_id else None
        if ref is not None and not ref.deleted:
            payload["referenced_message"] = message_payload(ref, world)
    if message.nonce is not None:
        payload["nonce"] = message.nonce
    if message.poll is not None:
        payload["poll"] = message.poll
    if message.thread_id is not None and message.thread_id in world.channels:
        payload["thread"] = channel_payload(world.channels[message.thread_id], world)
    return payload


def stored_message_payload(message: Message, world: World) -> dict[str, Any]:
    """A message as ``GET /channels/{id}/messages[/{id}]`` returns it: Discord does not keep
    the ``nonce`` (only the create response and MESSAGE_CREATE echo it)."""
    payload = message_payload(message, world)
    payload.pop("nonce", None)
    return payload


def message_event_payload(message: Message, world: World, *, intents: int) -> dict[str, Any]:
    """MESSAGE_CREATE / MESSAGE_UPDATE ``d``: adds ``member``; hides content without the intent."""
    payload = message_payload(message, world)
    guild = world.guilds.get(message.guild_id) if message.guild_id is not None else None
    if guild is not None:
        member = guild.member(message.author)
        if member is not None:
            payload["member"] = member_payload(member, with_user=False)
    privileged = (
        intents & Intent.MESSAGE_CONTENT
        or message.author is world.bot
        or guild is None
        or world.bot.id in message.mention_ids
    )
    if not privileged:
        payload.update(content="", embeds=[], attachments=[], components=[])
        payload.pop("poll", None)
    return payload
