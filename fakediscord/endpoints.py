"""REST endpoints other than interactions: login, gateway discovery, guilds, channels, messages,
threads, reactions and application-command sync."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from .api_errors import ApiError, FormErrors
from .channels import Channel, Message
from .constants import ChannelType, ErrorCode, MessageFlag, Permission
from .guilds import Guild
from .messages import build_message, edit_changes
from .payloads import (
    application_payload,
    channel_payload,
    client_user_payload,
    guild_base_payload,
    member_payload,
    message_payload,
    role_payload,
    stored_message_payload,
    user_payload,
)
from .rest import ApiRequest, Reply, Router

if TYPE_CHECKING:
    from .server import FakeDiscord


class Endpoints:
    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.world = fake.world

    def register(self, r: Router) -> None:
        r.add("GET", "/users/@me", self.get_me)
        r.add("GET", "/users/{user_id}", self.get_user)
        r.add("POST", "/users/@me/channels", self.create_dm)
        r.add("GET", "/oauth2/applications/@me", self.get_application)
        r.add("GET", "/applications/@me", self.get_application)
        r.add("GET", "/gateway", self.get_gateway, auth=False)
        r.add("GET", "/gateway/bot", self.get_gateway_bot)

        r.add("GET", "/guilds/{guild_id}", self.get_guild)
        r.add("GET", "/guilds/{guild_id}/channels", self.get_guild_channels)
        r.add("GET", "/guilds/{guild_id}/roles", self.get_guild_roles)
        r.add("GET", "/guilds/{guild_id}/members", self.get_guild_members)
        r.add("GET", "/guilds/{guild_id}/members/{user_id}", self.get_guild_member)
        r.add("GET", "/guilds/{guild_id}/threads/active", self.get_active_threads)

        r.add("GET", "/channels/{channel_id}", self.get_channel)
        r.add("POST", "/channels/{channel_id}/typing", self.typing)
        r.add("GET", "/channels/{channel_id}/messages", self.get_messages)
        r.add(
            "POST",
            "/channels/{channel_id}/messages",
            self.create_message,
            bucket="channel_messages",
        )
        r.add("GET", "/channels/{channel_id}/messages/{message_id}", self.get_message)
        r.add("PATCH", "/channels/{channel_id}/messages/{message_id}", self.edit_message)
        r.add("DELETE", "/channels/{channel_id}/messages/{message_id}", self.delete_message)
        for method in ("PUT", "DELETE"):
            r.add(
                method,
                "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me",
                self.own_reaction,
            )
        r.add(
            "POST", "/channels/{channel_id}/messages/{message_id}/threads", self.thread_from_message
        )
        r.add("POST", "/channels/{channel_id}/threads", self.thread_without_message)
        for method in ("PUT", "DELETE"):
            r.add(method, "/channels/{channel_id}/thread-members/{user_id}", self.thread_member)

        for scope in ("", "/guilds/{guild_id}"):
            base = "/applications/{application_id}" + scope + "/commands"
            r.add("GET", base, self.list_commands)
            r.add("PUT", base, self.overwrite_commands)
            r.add("POST", base, self.upsert_command)
            r.add("GET", base + "/{command_id}", self.get_command)
            r.add("PATCH", base + "/{command_id}", self.edit_command)
            r.add("DELETE", base + "/{command_id}", self.delete_command)

    # -- lookups ---------------------------------------------------------------------------------

    def _guild(self, req: ApiRequest) -> Guild:
        guild = self.world.guilds.get(req.snowflake("guild_id", ErrorCode.UNKNOWN_GUILD))
        if guild is None:
            raise ApiError(404, ErrorCode.UNKNOWN_GUILD)
        return guild

    def _channel(self, req: ApiRequest) -> Channel:
        channel = self.world.channels.get(req.snowflake("channel_id", ErrorCode.UNKNOWN_CHANNEL))
        if channel is None:
            raise ApiError(404, ErrorCode.UNKNOWN_CHANNEL)
        if channel.is_dm:
            return channel
        guild = self.world.guild_of(channel)
        if (
            guild is None
            or not guild.permissions_in(self.world.bot, channel) & Permission.VIEW_CHANNEL
        ):
            raise ApiError(403, ErrorCode.MISSING_ACCESS)
        return channel

    def _message(self, req: ApiRequest, channel: Channel) -> Message:
        mid = req.snowflake("message_id", ErrorCode.UNKNOWN_MESSAGE)
        message = self.world.find_message(mid)
        if (
            message is None
            or message.deleted
            or message.channel_id != channel.id
            or message.ephemeral_to is not None
        ):
            raise ApiError(404, ErrorCode.UNKNOWN_MESSAGE)
        return message

    def _require(self, channel: Channel, permission: int) -> None:
        guild = self.world.guild_of(channel)
        if guild is None:
            return
        if not guild.permissions_in(self.world.bot, channel) & permission:
            raise ApiError(403, ErrorCode.MISSING_PERMISSIONS)

    # -- users and application -------------------------------------------------------------------

    async def get_me(self, req: ApiRequest) -> Reply:
        return Reply(body=client_user_payload(self.world.bot))

    async def get_user(self, req: ApiRequest) -> Reply:
        user = self.world.users.get(req.snowflake("user_id", ErrorCode.UNKNOWN_USER))
        if user is None:
            raise ApiError(404, ErrorCode.UNKNOWN_USER)
        return Reply(body=user_payload(user))

    async def get_application(self, req: ApiRequest) -> Reply:
        return Reply(body=application_payload(self.world.application))

    async def get_gateway(self, req: ApiRequest) -> Reply:
        return Reply(body={"url": self.fake.gateway_url})

    async def get_gateway_bot(self, req: ApiRequest) -> Reply:
        return Reply(
            body={
                "url": self.fake.gateway_url,
                # Discord recommends a shard per ~1,000 guilds
                "shards": max(1, -(-len(self.world.guilds) // self.fake.guilds_per_shard)),
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 14_400_000,
                    "max_concurrency": 1,
                },
            }
        )

    async def create_dm(self, req: ApiRequest) -> Reply:
        body = req.body()
        raw = str(body.get("recipient_id"))
        if not raw.isdigit():
            errors = FormErrors()
            errors.add(("recipient_id",), "NUMBER_TYPE_COERCE", f'Value "{raw}" is not snowflake.')
            errors.raise_if_any()
        user = self.world.users.get(int(raw))
        if user is None:
            raise ApiError(404, ErrorCode.UNKNOWN_USER)
        return Reply(body=channel_payload(self.world.dm_channel(user), self.world))

    # -- guilds ----------------------------------------------------------------------------------

    async def get_guild(self, req: ApiRequest) -> Reply:
        guild = self._guild(req)
        body = guild_base_payload(guild)
        if req.flag("with_counts"):
            body["approximate_member_count"] = len(guild.members)
            body["approximate_presence_count"] = 0
        return Reply(body=body)

    async def get_guild_channels(self, req: ApiRequest) -> Reply:
        guild = self._guild(req)
        return Reply(
            body=[channel_payload(c, self.world) for c in guild.channels if not c.is_thread]
        )

    async def get_guild_roles(self, req: ApiRequest) -> Reply:
        return Reply(body=[role_payload(r) for r in self._guild(req).roles.values()])

    async def get_guild_members(self, req: ApiRequest) -> Reply:
        guild = self._guild(req)
        limit = int(req.query.get("limit", "1"))
        after = int(req.query.get("after", "0"))
        members = sorted(
            (m for m in guild.members.values() if m.user.id > after), key=lambda m: m.user.id
        )
        return Reply(body=[member_payload(m) for m in members[: max(1, min(limit, 1000))]])

    async def get_guild_member(self, req: ApiRequest) -> Reply:
        guild = self._guild(req)
        member = guild.member(req.snowflake("user_id", ErrorCode.UNKNOWN_MEMBER))
        if member is None:
            raise ApiError(404, ErrorCode.UNKNOWN_MEMBER)
        return Reply(body=member_payload(member))

    async def get_active_threads(self, req: ApiRequest) -> Reply:
        guild = self._guild(req)
        threads = [c for c in guild.threads() if not c.archived]
        return Reply(
            body={"threads": [channel_payload(t, self.world) for t in threads], "members": []}
        )

    # -- channels and messages -------------------------------------------------------------------

    async def get_channel(self, req: ApiRequest) -> Reply:
        return Reply(body=channel_payload(self._channel(req), self.world))

    async def typing(self, req: ApiRequest) -> Reply:
        self._channel(req)
        return Reply.empty()

    async def get_messages(self, req: ApiRequest) -> Reply:
        channel = self._channel(req)
        self._require(channel, Permission.READ_MESSAGE_HISTORY)
        raw_limit = req.query.get("limit", "50")
        limit = int(raw_limit) if raw_limit.isdigit() else 0
        if not 1 <= limit <= 100:
            errors = FormErrors()
            errors.add(
                ("limit",),
                "NUMBER_TYPE_MAX" if limit > 100 else "NUMBER_TYPE_MIN",
                "int value should be between 1 and 100",
            )
            errors.raise_if_any()
        visible = sorted(
            (m for m in channel.messages if not m.deleted and m.ephemeral_to is None),
            key=lambda m: m.id,
        )
        if "before" in req.query:
            before = int(req.query["before"])
            chosen = [m for m in visible if m.id < before][-limit:]
        elif "after" in req.query:
            after = int(req.query["after"])
            chosen = [m for m in visible if m.id > after][:limit]
        elif "around" in req.query:
            around = int(req.query["around"])
            older = [m for m in visible if m.id <= around]
            newer = [m for m in visible if m.id > around]
            half = limit // 2
            chosen = older[-(limit - half) :] + newer[:half]
        else:
            chosen = visible[-limit:]
        chosen.sort(key=lambda m: m.id, reverse=True)
        return Reply(body=[stored_message_payload(m, self.world) for m in chosen])

    async def create_message(self, req: ApiRequest) -> Reply:
        channel = self._channel(req)
        body = req.body()
        if channel.type in (ChannelType.GUILD_CATEGORY, ChannelType.GUILD_FORUM):
            raise ApiError(400, 50008, "Cannot send messages in a non-text channel")
        if channel.is_dm:
            if channel.recipient is None or not channel.recipient.dms_open:
                raise ApiError(403, ErrorCode.CANNOT_SEND_MESSAGES_TO_USER)
        else:
            needed = (
                Permission.SEND_MESSAGES_IN_THREADS
                if channel.is_thread
                else Permission.SEND_MESSAGES
            )
            self._require(channel, needed)
            if channel.archived or channel.locked:
                raise ApiError(400, 50083, "Thread is archived")
        message = build_message(
            self.world,
            channel,
            self.world.bot,
            body,
            uploads=req.uploads,
            base_url=self.fake.base_url,
        )
        message.flags &= ~MessageFlag.EPHEMERAL  # only interaction responses can be ephemeral
        self.world.add_message(message)
        return Reply(body=message_payload(message, self.world))

    async def get_message(self, req: ApiRequest) -> Reply:
        channel = self._channel(req)
        self._require(channel, Permission.READ_MESSAGE_HISTORY)
        return Reply(body=stored_message_payload(self._message(req, channel), self.world))

    async def edit_message(self, req: ApiRequest) -> Reply:
        channel = self._channel(req)
        message = self._message(req, channel)
        if message.author is not self.world.bot:
            body = req.body()
            if set(body) - {"flags"}:
                raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        changes = edit_changes(
            self.world,
            channel,
            message,
            req.body(),
            uploads=req.uploads,
            base_url=self.fake.base_url,
        )
        self.world.edit_message(message, changes)
        return Reply(body=message_payload(message, self.world))

    async def delete_message(self, req: ApiRequest) -> Reply:
        channel = self._channel(req)
        message = self._message(req, channel)
        if message.author is not self.world.bot:
            self._require(channel, Permission.MANAGE_MESSAGES)
        self.world.delete_message(message)
        return Reply.empty()

    async def own_reaction(self, req: ApiRequest) -> Reply:
        channel = self._channel(req)
        message = self._message(req, channel)
        emoji = unquote(req.params["emoji"])
        users = message.reactions.setdefault(emoji, [])
        if req.method == "PUT":
            self._require(channel, Permission.ADD_REACTIONS)
            if self.world.bot.id not in users:
                users.append(self.world.bot.id)
        elif self.world.bot.id in users:
            users.remove(self.world.bot.id)
        return Reply.empty()

    # -- threads ---------------------------------------------------------------------------------

    async def thread_from_message(self, req: ApiRequest) -> Reply:
        channel = self._channel(req)
        message = self._message(req, channel)
        self._require(channel, Permission.CREATE_PUBLIC_THREADS)
        if message.thread_id is not None:
            raise ApiError(400, ErrorCode.THREAD_ALREADY_CREATED)
        body = req.body()
        name = self._thread_name(body)
        kind = (
            ChannelType.ANNOUNCEMENT_THREAD
            if channel.type == ChannelType.GUILD_ANNOUNCEMENT
            else ChannelType.PUBLIC_THREAD
        )
        thread = self.world.create_thread(
            channel,
            name,
            owner=self.world.bot,
            type=kind,
            thread_id=message.id,
            auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
        )
        message.thread_id = thread.id
        return Reply(201, channel_payload(thread, self.world))

    async def thread_without_message(self, req: ApiRequest) -> Reply:
        channel = self._channel(req)
        body = req.body()
        name = self._thread_name(body)
        if channel.type == ChannelType.GUILD_FORUM:
            self._require(channel, Permission.SEND_MESSAGES)
            first = body.get("message")
            if not isinstance(first, dict):
                errors = FormErrors()
                errors.add(("message",), "BASE_TYPE_REQUIRED", "This field is required")
                errors.raise_if_any()
                first = {}
            starter = build_message(
                self.world,
                channel,
                self.world.bot,
                first,
                uploads=req.uploads,
                base_url=self.fake.base_url,
            )
            thread = self.world.create_thread(
                channel,
                name,
                owner=self.world.bot,
                thread_id=self.world.snowflake(),
                auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
            )
            starter.id = thread.id
            starter.channel_id = thread.id
            self.world.add_message(starter)
            payload = channel_payload(thread, self.world)
            payload["message"] = message_payload(starter, self.world)
            return Reply(201, payload)
        kind = ChannelType(int(body.get("type") or ChannelType.PRIVATE_THREAD))
        needed = (
            Permission.CREATE_PRIVATE_THREADS
            if kind == ChannelType.PRIVATE_THREAD
            else Permission.CREATE_PUBLIC_THREADS
        )
        self._require(channel, needed)
        thread = self.world.create_thread(
            channel,
            name,
            owner=self.world.bot,
            type=kind,
            auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
            invitable=bool(body.get("invitable", True)),
        )
        return Reply(201, channel_payload(thread, self.world))

    @staticmethod
    def _thread_name(body: dict[str, Any]) -> str:
        name = body.get("name")
        errors = FormErrors()
        if not isinstance(name, str) or not name:
            errors.add(("name",), "BASE_TYPE_REQUIRED", "This field is required")
        elif len(name) > 100:
            errors.max_length(("name",), 100)
        errors.raise_if_any()
        return str(name)

    async def thread_member(self, req: ApiRequest) -> Reply:
        channel = self._channel(req)
        if not channel.is_thread:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        return Reply.empty()

    # -- application commands --------------------------------------------------------------------

    def _command_scope(self, req: ApiRequest) -> int | None:
        app_id = req.snowflake("application_id", ErrorCode.UNKNOWN_APPLICATION)
        if app_id != self.world.application.id:
            raise ApiError(403, ErrorCode.MISSING_ACCESS)
        if "guild_id" not in req.params:
            return None
        return self._guild(req).id

    async def list_commands(self, req: ApiRequest) -> Reply:
        scope = self._command_scope(req)
        return Reply(body=[c.payload() for c in self.fake.commands.commands_in(scope)])

    async def overwrite_commands(self, req: ApiRequest) -> Reply:
        scope = self._command_scope(req)
        bodies = req.json if isinstance(req.json, list) else None
        if bodies is None:
            raise ApiError(
                400,
                ErrorCode.INVALID_FORM_BODY,
                errors={"_errors": [{"code": "BASE_TYPE_ARRAY", "message": "Must be an array."}]},
            )
        commands = self.fake.commands.overwrite(self.world, scope, bodies)
        return Reply(body=[c.payload() for c in commands])

    async def upsert_command(self, req: ApiRequest) -> Reply:
        scope = self._command_scope(req)
        existed = self.fake.commands.find(str(req.body().get("name")), scope) is not None
        cmd = self.fake.commands.upsert(self.world, scope, req.body())
        return Reply(200 if existed else 201, cmd.payload())

    async def get_command(self, req: ApiRequest) -> Reply:
        scope = self._command_scope(req)
        cid = req.snowflake("command_id", ErrorCode.UNKNOWN_APPLICATION_COMMAND)
        return Reply(body=self.fake.commands.by_id(scope, cid).payload())

    async def edit_command(self, req: ApiRequest) -> Reply:
        scope = self._command_scope(req)
        cid = req.snowflake("command_id", ErrorCode.UNKNOWN_APPLICATION_COMMAND)
        current = self.fake.commands.by_id(scope, cid)
        merged = {**current.body, **req.body()}
        self.fake.commands.delete(scope, cid)
        cmd = self.fake.commands.upsert(self.world, scope, merged)
        cmd.id = cid
        return Reply(body=cmd.payload())

    async def delete_command(self, req: ApiRequest) -> Reply:
        scope = self._command_scope(req)
        self.fake.commands.delete(
            scope, req.snowflake("command_id", ErrorCode.UNKNOWN_APPLICATION_COMMAND)
        )
        return Reply.empty()
