"""Where each command can be installed and used (Discord's integration types and contexts).

- Lookup (`/search`, `/paper`, `/digest`, `/tags`), `/library` and `/alerts` are for everyone,
  everywhere: a member can add paperbot to their own account (a *user install*) and use them
  in any server, in a DM with the bot, and in DMs or group DMs with friends (private channels,
  which only user installs reach).
- Server administration (`/settings`, `/announce`, `/status`) exists only where the bot was
  added to a server (a *guild install*), in that server.
- `/paperbot-admin` is registered to the owner's server only (``[discord] owner_guild_id``).

These are sent with the command sync and enforced by Discord; the cogs still check at run time
(``admin_guild_id``), since server admins can change who sees a command.
"""

from __future__ import annotations

from typing import TypeVar

from discord import app_commands

from bot.discord.checks import MANAGE_GUILD

__all__ = [
    "anywhere",
    "everyone",
    "everyone_group",
    "in_servers",
    "server_admin_command",
    "server_admin_group",
    "server_install",
    "usable_anywhere",
]

T = TypeVar("T")


def anywhere() -> app_commands.AppCommandContext:
    """Servers, the bot's DM, and private channels (DMs and group DMs between users)."""
    return app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True)


def in_servers() -> app_commands.AppCommandContext:
    return app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False)


def everyone() -> app_commands.AppInstallationType:
    """Installed with the bot in a server, or by a user to their own account."""
    return app_commands.AppInstallationType(guild=True, user=True)


def server_install() -> app_commands.AppInstallationType:
    return app_commands.AppInstallationType(guild=True, user=False)


def server_admin_group(
    name: app_commands.locale_str, description: app_commands.locale_str
) -> app_commands.Group:
    """A command group for a server's admins: Manage Server, guild installs, in servers only."""
    return app_commands.Group(
        name=name,
        description=description,
        guild_only=True,
        default_permissions=MANAGE_GUILD,
        allowed_contexts=in_servers(),
        allowed_installs=server_install(),
    )


def everyone_group(
    name: app_commands.locale_str, description: app_commands.locale_str
) -> app_commands.Group:
    """A command group for everyone, everywhere: guild and user installs, any context."""
    return app_commands.Group(
        name=name,
        description=description,
        allowed_contexts=anywhere(),
        allowed_installs=everyone(),
    )


def usable_anywhere(command: T) -> T:
    """Decorates a top-level command for everyone, everywhere, as ``everyone_group`` makes
    a group: the same installs and contexts, placed where discord.py's decorators go."""
    command = app_commands.allowed_installs(guilds=True, users=True)(command)
    return app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)(command)


def server_admin_command(command: T) -> T:
    """Decorates a top-level command for a server's admins, as ``server_admin_group`` makes a
    group: Manage Server, guild installs, in servers only."""
    command = app_commands.default_permissions(MANAGE_GUILD)(command)
    command = app_commands.allowed_installs(guilds=True, users=False)(command)
    return app_commands.guild_only()(command)
