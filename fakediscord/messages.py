"""Creating and editing messages from request bodies (channel messages and interaction ones)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .api_errors import ApiError
from .channels import Attachment, Channel, Message
from .constants import ErrorCode, MessageFlag, MessageType
from .limits import validate_message
from .mentions import parse_mentions, resolve_pings
from .rest import Upload
from .snowflakes import iso_timestamp
from .users import User
from .world import World

#: Flags a sender may set when creating a message.
CREATE_FLAGS = (
    MessageFlag.SUPPRESS_EMBEDS
    | MessageFlag.EPHEMERAL
    | MessageFlag.SUPPRESS_NOTIFICATIONS
    | MessageFlag.IS_COMPONENTS_V2
)
#: Flags a sender may change when editing.
EDIT_FLAGS = MessageFlag.SUPPRESS_EMBEDS | MessageFlag.IS_COMPONENTS_V2


def normalise_embeds(embeds: Sequence[Any]) -> list[dict[str, Any]]:
    out = []
    for embed in embeds:
        if isinstance(embed, dict):
            out.append({"type": "rich", **embed})
    return out


def make_attachments(
    world: World, channel: Channel, uploads: Sequence[Upload], body: dict[str, Any], base_url: str
) -> list[Attachment]:
    described = {str(a.get("id")): a for a in body.get("attachments") or [] if isinstance(a, dict)}
    out = []
    for index, upload in enumerate(uploads):
        meta = described.get(str(index), {})
        aid = world.snowflake()
        filename = str(meta.get("filename") or upload.filename)
        out.append(
            Attachment(
                id=aid,
                filename=filename,
                data=upload.data,
                url=f"{base_url}/attachments/{channel.id}/{aid}/{filename}",
                content_type=upload.content_type,
                description=meta.get("description"),
            )
        )
    return out


def _replied_user(world: World, reference: dict[str, Any] | None) -> int | None:
    if not reference or not reference.get("message_id"):
        return None
    target = world.find_message(int(reference["message_id"]))
    return target.author.id if target else None


def build_message(
    world: World,
    channel: Channel,
    author: User,
    body: dict[str, Any],
    *,
    uploads: Sequence[Upload] = (),
    base_url: str = "",
    type: int = MessageType.DEFAULT,
    extra_flags: int = 0,
    validate: bool = True,
) -> Message:
    """A new message from a create body (not yet stored: pass it to ``World.add_message``)."""
    if validate:
        validate_message(body, creating=True, has_files=bool(uploads))
    content = body.get("content") or ""
    allowed = body.get("allowed_mentions")
    reference = body.get("message_reference")
    if reference is not None:
        reference = dict(reference)
        reference.setdefault("channel_id", str(channel.id))
        if channel.guild_id is not None:
            reference.setdefault("guild_id", str(channel.guild_id))
        target = world.find_message(int(reference.get("message_id") or 0))
        if target is None or target.deleted:
            if reference.get("fail_if_not_exists", True):
                raise ApiError(
                    400,
                    ErrorCode.INVALID_FORM_BODY,
                    errors={
                        "message_reference": {
                            "_errors": [
                                {
                                    "code": "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
                                    "message": "Unknown message",
                                }
                            ]
                        }
                    },
                )
            reference = None
        elif type == MessageType.DEFAULT:
            type = MessageType.REPLY
    found = parse_mentions(content)
    flags = (int(body.get("flags") or 0) & CREATE_FLAGS) | extra_flags
    message = Message(
        id=world.snowflake(),
        channel_id=channel.id,
        guild_id=channel.guild_id,
        author=author,
        timestamp=iso_timestamp(world.clock()),
        content=content,
        embeds=normalise_embeds(body.get("embeds") or []),
        components=list(body.get("components") or []),
        flags=flags,
        type=type,
        tts=bool(body.get("tts")),
        allowed_mentions=allowed,
        pings=resolve_pings(content, allowed, replied_user=_replied_user(world, reference)),
        mention_ids=[u for u in found.users if u in world.users],
        mention_role_ids=list(found.roles),
        mention_everyone=found.everyone,
        message_reference=reference,
        nonce=body.get("nonce"),
        poll=body.get("poll"),
    )
    message.attachments = make_attachments(world, channel, uploads, body, base_url)
    return message


def edit_changes(
    world: World,
    channel: Channel,
    message: Message,
    body: dict[str, Any],
    *,
    uploads: Sequence[Upload] = (),
    base_url: str = "",
) -> dict[str, Any]:
    """The attribute changes a PATCH body asks for (fields left out stay as they are)."""
    validate_message(body, creating=False, has_files=bool(uploads))
    changes: dict[str, Any] = {}
    if "content" in body:
        content = body["content"] or ""
        allowed = body.get("allowed_mentions", message.allowed_mentions)
        found = parse_mentions(content)
        changes.update(
            content=content,
            pings=resolve_pings(content, allowed),
            mention_ids=[u for u in found.users if u in world.users],
            mention_role_ids=list(found.roles),
            mention_everyone=found.everyone,
        )
    if "allowed_mentions" in body:
        changes["allowed_mentions"] = body["allowed_mentions"]
    if "embeds" in body:
        changes["embeds"] = normalise_embeds(body["embeds"] or [])
    if "components" in body:
        changes["components"] = list(body["components"] or [])
    if body.get("flags") is not None:
        keep = message.flags & ~EDIT_FLAGS
        changes["flags"] = keep | (int(body["flags"]) & EDIT_FLAGS)
    if "attachments" in body or uploads:
        kept_ids = {str(a.get("id")) for a in body.get("attachments") or [] if isinstance(a, dict)}
        kept = (
            [a for a in message.attachments if str(a.id) in kept_ids]
            if "attachments" in body
            else list(message.attachments)
        )
        changes["attachments"] = kept + make_attachments(world, channel, uploads, body, base_url)
    return changes
