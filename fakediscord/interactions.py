"""Interactions: building INTERACTION_CREATE payloads, and the callback/webhook endpoints the bot
answers them through. A test holds an :class:`InteractionHandle` (``handles.py``) and awaits
what the bot did."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from .api_errors import ApiError, FormErrors
from .channels import Channel, Message
from .commands import integration_owners, interaction_context
from .constants import (
    CallbackType,
    ErrorCode,
    InteractionType,
    MessageFlag,
    MessageType,
    Permission,
)
from .handles import InitialResponse, InteractionHandle
from .limits import validate_autocomplete, validate_message, validate_modal
from .messages import build_message, edit_changes
from .payloads import (
    interaction_channel_payload,
    member_payload,
    message_payload,
    user_payload,
)
from .rest import ApiRequest, Reply, Router
from .users import User
from .world import World

if TYPE_CHECKING:
    from .server import FakeDiscord

#: What a user-installed app may do where its bot is not (Discord's fixed set).
USER_APP_PERMISSIONS = (
    Permission.EMBED_LINKS
    | Permission.ATTACH_FILES
    | Permission.MENTION_EVERYONE
    | Permission.USE_EXTERNAL_EMOJIS
)

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024

#: Callback types each interaction type accepts.
ALLOWED_CALLBACKS: dict[int, frozenset[int]] = {
    InteractionType.PING: frozenset({CallbackType.PONG}),
    InteractionType.APPLICATION_COMMAND: frozenset(
        {
            CallbackType.CHANNEL_MESSAGE_WITH_SOURCE,
            CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
            CallbackType.MODAL,
            CallbackType.PREMIUM_REQUIRED,
            CallbackType.LAUNCH_ACTIVITY,
        }
    ),
    InteractionType.MESSAGE_COMPONENT: frozenset(
        {
            CallbackType.CHANNEL_MESSAGE_WITH_SOURCE,
            CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
            CallbackType.DEFERRED_UPDATE_MESSAGE,
            CallbackType.UPDATE_MESSAGE,
            CallbackType.MODAL,
        }
    ),
    InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE: frozenset(
        {CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT}
    ),
    InteractionType.MODAL_SUBMIT: frozenset(
        {
            CallbackType.CHANNEL_MESSAGE_WITH_SOURCE,
            CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
            CallbackType.DEFERRED_UPDATE_MESSAGE,
            CallbackType.UPDATE_MESSAGE,
        }
    ),
}


class Interactions:
    """Creates interactions and serves ``/interactions/...`` and ``/webhooks/{app}/{token}/...``."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.world: World = fake.world
        self.by_id: dict[int, InteractionHandle] = {}
        self.by_token: dict[str, InteractionHandle] = {}
        self.all: list[InteractionHandle] = []

    # -- creating ---------------------------------------------------------------------------------

    def create(
        self,
        *,
        type: InteractionType,
        user: User,
        channel: Channel,
        data: dict[str, Any] | None,
        locale: str | None = None,
        message: Message | None = None,
    ) -> InteractionHandle:
        world = self.world
        guild = world.guild_of(channel)
        iid = world.snowflake()
        token = "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(48)
        payload: dict[str, Any] = {
            "id": str(iid),
            "application_id": str(world.application.id),
            "type": int(type),
            "token": token,
            "version": 1,
            "locale": locale or user.locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "channel": interaction_channel_payload(channel, world, user),
            "channel_id": str(channel.id),
        }
        if data is not None:
            payload["data"] = data
        command = None
        if data is not None and type in (
            InteractionType.APPLICATION_COMMAND,
            InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE,
        ):
            command = self.fake.commands.find(
                str(data.get("name")), guild.id if guild else None, int(data.get("type") or 1)
            )
        owners = integration_owners(command, user, guild, channel, world)
        if command is None and not owners and user.id in world.user_installs:
            owners = {"1": str(user.id)}
        context = interaction_context(channel, guild)
        if guild is not None:
            member = guild.member(user)
            if member is None:
                raise ValueError(f"{user!r} is not a member of {guild!r}")
            app_permissions = (
                guild.permissions_in(world.bot, channel) if guild.has_bot else USER_APP_PERMISSIONS
            )
            payload.update(
                guild_id=str(guild.id),
                guild_locale=guild.preferred_locale,
                guild={"id": str(guild.id), "locale": guild.preferred_locale, "features": []},
                member={
                    **member_payload(member),
                    "permissions": str(guild.permissions_in(user, channel)),
                },
                app_permissions=str(app_permissions),
                authorizing_integration_owners=owners,
                context=context,
            )
        else:
            payload.update(
                user=user_payload(user),
                app_permissions=str(USER_APP_PERMISSIONS if context == 2 else 0),
                authorizing_integration_owners=owners,
                context=context,
            )
        if message is not None:
            payload["message"] = message_payload(message, world)
        handle = InteractionHandle(
            id=iid,
            token=token,
            type=type,
            payload=payload,
            user=user,
            channel=channel,
            guild=guild,
            created_at=self.fake.clock(),
            message=message,
        )
        self.by_id[iid] = handle
        self.by_token[token] = handle
        self.all.append(handle)
        return handle

    # -- endpoints -------------------------------------------------------------------------------

    def register(self, r: Router) -> None:
        r.add(
            "POST",
            "/interactions/{interaction_id}/{interaction_token}/callback",
            self.callback,
            auth=False,
            bucket="interaction_webhook",
            major=("interaction_token",),
            global_limited=False,
        )
        base = "/webhooks/{webhook_id}/{webhook_token}"
        kw: dict[str, Any] = {
            "auth": False,
            "bucket": "interaction_webhook",
            "major": ("webhook_token",),
            "global_limited": False,
        }
        r.add("POST", base, self.execute, **kw)
        for method, handler in (
            ("GET", self.get_message),
            ("PATCH", self.edit_message),
            ("DELETE", self.delete_message),
        ):
            r.add(method, base + "/messages/{message_id}", handler, **kw)

    def _metadata(self, ix: InteractionHandle) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "id": str(ix.id),
            "type": ix.type,
            "user": user_payload(ix.user),
            "authorizing_integration_owners": ix.payload["authorizing_integration_owners"],
        }
        data = ix.payload.get("data") or {}
        if ix.type == InteractionType.APPLICATION_COMMAND:
            meta["name"] = data.get("name")
            meta["command_type"] = data.get("type", 1)
        if ix.source_message is not None and ix.type == InteractionType.MESSAGE_COMPONENT:
            meta["interacted_message_id"] = str(ix.source_message.id)
        return meta

    def _new_message(
        self, ix: InteractionHandle, body: dict[str, Any], req: ApiRequest, *, extra_flags: int = 0
    ) -> Message:
        msg_type = (
            MessageType.CHAT_INPUT_COMMAND
            if ix.type == InteractionType.APPLICATION_COMMAND
            else MessageType.DEFAULT
        )
        message = build_message(
            self.world,
            ix.channel,
            self.world.bot,
            body,
            uploads=req.uploads,
            base_url=self.fake.base_url,
            type=msg_type,
            extra_flags=extra_flags,
            validate=False,
        )
        message.webhook_id = self.world.application.id
        message.application_id = self.world.application.id
        message.interaction_metadata = self._metadata(ix)
        if message.ephemeral:
            message.ephemeral_to = ix.user.id
        return message

    async def callback(self, req: ApiRequest) -> Reply:
        iid = req.snowflake("interaction_id", ErrorCode.UNKNOWN_INTERACTION)
        ix = self.by_id.get(iid)
        if ix is None or ix.token != req.params["interaction_token"]:
            raise ApiError(404, ErrorCode.UNKNOWN_INTERACTION)
        if self.fake.clock() - ix.created_at > self.fake.interaction_deadline:
            raise ApiError(404, ErrorCode.UNKNOWN_INTERACTION)
        if ix.initial is not None:
            raise ApiError(400, ErrorCode.INTERACTION_ALREADY_ACKNOWLEDGED)
        body = req.body()
        try:
            cb_type = int(body.get("type", 0))
        except (TypeError, ValueError):
            cb_type = 0
        if cb_type not in ALLOWED_CALLBACKS.get(ix.type, frozenset()):
            errors = FormErrors()
            errors.add(
                ("type",), "INTERACTION_RESPONSE_TYPE_INVALID", "Invalid interaction response type"
            )
            errors.raise_if_any()
        data = body.get("data")
        data = data if isinstance(data, dict) else {}
        resource: dict[str, Any] = {"type": cb_type}

        if cb_type == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE:
            validate_message(data, creating=True, has_files=bool(req.uploads))
            ix.original = self.world.add_message(self._new_message(ix, data, req))
        elif cb_type == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE:
            flags = int(data.get("flags") or 0) & MessageFlag.EPHEMERAL
            loading = self._new_message(ix, {"flags": flags}, req, extra_flags=MessageFlag.LOADING)
            ix.original = self.world.add_message(loading)
        elif cb_type == CallbackType.DEFERRED_UPDATE_MESSAGE:
            ix.original = ix.source_message
        elif cb_type == CallbackType.UPDATE_MESSAGE:
            target = ix.source_message
            if target is None:
                raise ApiError(400, ErrorCode.INVALID_FORM_BODY, "No message to update")
            changes = edit_changes(
                self.world,
                ix.channel,
                target,
                data,
                uploads=req.uploads,
                base_url=self.fake.base_url,
            )
            self.world.edit_message(target, changes)
            ix.original = target
            ix.edits += 1
        elif cb_type == CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT:
            validate_autocomplete(data)
            ix.autocomplete_choices = list(data.get("choices") or [])
        elif cb_type == CallbackType.MODAL:
            validate_modal(data)
            ix.modal_data = data

        ix.initial = InitialResponse(type=cb_type, data=body.get("data"), time=self.fake.clock())
        ix.signal.fire()
        if not req.flag("with_response"):
            return Reply.empty()
        info: dict[str, Any] = {"id": str(ix.id), "type": ix.type}
        if ix.original is not None and cb_type in (4, 5, 7):
            info["response_message_id"] = str(ix.original.id)
            info["response_message_loading"] = ix.original.loading
            info["response_message_ephemeral"] = ix.original.ephemeral
            resource["message"] = message_payload(ix.original, self.world)
        return Reply(body={"interaction": info, "resource": resource})

    def _webhook_interaction(self, req: ApiRequest) -> InteractionHandle:
        webhook_id = req.snowflake("webhook_id", ErrorCode.UNKNOWN_WEBHOOK)
        ix = self.by_token.get(req.params["webhook_token"])
        if ix is None or webhook_id != self.world.application.id:
            raise ApiError(404, ErrorCode.UNKNOWN_WEBHOOK)
        if self.fake.clock() - ix.created_at > self.fake.followup_ttl:
            raise ApiError(401, ErrorCode.INVALID_WEBHOOK_TOKEN)
        if ix.initial is None:
            raise ApiError(404, ErrorCode.UNKNOWN_WEBHOOK)
        return ix

    def _webhook_message(self, ix: InteractionHandle, req: ApiRequest) -> Message:
        raw = req.params["message_id"]
        if raw == "@original":
            message = ix.original
        else:
            mid = req.snowflake("message_id", ErrorCode.UNKNOWN_MESSAGE)
            message = next((m for m in ix.messages if m.id == mid), None)
        if message is None or message.deleted:
            raise ApiError(404, ErrorCode.UNKNOWN_MESSAGE)
        return message

    async def execute(self, req: ApiRequest) -> Reply:
        ix = self._webhook_interaction(req)
        body = req.body()
        validate_message(body, creating=True, has_files=bool(req.uploads))
        original = ix.original
        if (
            original is not None
            and original.loading
            and ix.initial is not None
            and ix.initial.type == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
            and not ix.followups
        ):
            # The first followup after a "thinking" defer replaces the thinking message and
            # keeps the defer's ephemerality.
            changes = edit_changes(
                self.world,
                ix.channel,
                original,
                body,
                uploads=req.uploads,
                base_url=self.fake.base_url,
            )
            changes["flags"] = (changes.get("flags", original.flags) & ~MessageFlag.LOADING) | (
                original.flags & MessageFlag.EPHEMERAL
            )
            self.world.edit_message(original, changes)
            original.edited_timestamp = None
            message = original
            ix.edits += 1
        else:
            message = self.world.add_message(self._new_message(ix, body, req))
        ix.followups.append(message)
        ix.signal.fire()
        if not req.flag("wait"):
            return Reply.empty()
        return Reply(body=message_payload(message, self.world))

    async def get_message(self, req: ApiRequest) -> Reply:
        ix = self._webhook_interaction(req)
        return Reply(body=message_payload(self._webhook_message(ix, req), self.world))

    async def edit_message(self, req: ApiRequest) -> Reply:
        ix = self._webhook_interaction(req)
        message = self._webhook_message(ix, req)
        changes = edit_changes(
            self.world,
            ix.channel,
            message,
            req.body(),
            uploads=req.uploads,
            base_url=self.fake.base_url,
        )
        if message.loading:
            changes["flags"] = changes.get("flags", message.flags) & ~MessageFlag.LOADING
            if not (
                changes.get("content")
                or changes.get("embeds")
                or changes.get("components")
                or changes.get("attachments")
                or message.content
                or message.embeds
            ):
                raise ApiError(400, ErrorCode.CANNOT_SEND_EMPTY_MESSAGE)
        self.world.edit_message(message, changes)
        if message is ix.original:
            ix.edits += 1
        ix.signal.fire()
        return Reply(body=message_payload(message, self.world))

    async def delete_message(self, req: ApiRequest) -> Reply:
        ix = self._webhook_interaction(req)
        message = self._webhook_message(ix, req)
        self.world.delete_message(message)
        ix.signal.fire()
        return Reply.empty()
