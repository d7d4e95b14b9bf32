"""fakediscord: a local Discord emulator that the real discord.py client can log in to.

Used by the test-suite and by the bot's playground mode (no Discord token needed). It is a
server (aiohttp REST + gateway websocket on loopback) and never imports discord.py.
See ``fakediscord/README.md``.
"""

from .api_errors import ApiError
from .channels import Attachment, Channel, Message, Overwrite, Pings
from .commands import AppCommand, CommandRegistry
from .constants import (
    ALL_PERMISSIONS,
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    CallbackType,
    ChannelType,
    ErrorCode,
    Intent,
    InteractionType,
    MessageFlag,
    Permission,
)
from .faults import Fault, FaultRules
from .guilds import Guild, Member, Role
from .handles import InitialResponse, InteractionHandle
from .ratelimits import Limit, RateLimitConfig
from .recording import RecordedRequest, RequestLog
from .server import FakeDiscord
from .users import User
from .world import World

__all__ = [
    "ALL_PERMISSIONS",
    "DEFAULT_BOT_PERMISSIONS",
    "DEFAULT_EVERYONE_PERMISSIONS",
    "ApiError",
    "AppCommand",
    "Attachment",
    "CallbackType",
    "Channel",
    "ChannelType",
    "CommandRegistry",
    "ErrorCode",
    "FakeDiscord",
    "Fault",
    "FaultRules",
    "Guild",
    "InitialResponse",
    "Intent",
    "InteractionHandle",
    "InteractionType",
    "Limit",
    "Member",
    "Message",
    "MessageFlag",
    "Overwrite",
    "Permission",
    "Pings",
    "RateLimitConfig",
    "RecordedRequest",
    "RequestLog",
    "Role",
    "User",
    "World",
]
