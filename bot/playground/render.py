"""Discord messages as terminal text, with mentions shown as the names a Discord client shows."""

from __future__ import annotations

import re

from fakediscord import Message, World

__all__ = ["render_message"]

_MENTION = re.compile(r"<(#|@&|@!?)(\d+)>")


def render_message(message: Message, world: World | None = None) -> str:
    """Content, embeds, then numbered buttons and menus."""
    lines: list[str] = []
    if message.content:
        lines.append(message.content)
    for embed in message.embeds:
        title = embed.get("title")
        if title:
            lines.append(f"== {title} ==")
        if embed.get("url"):
            lines.append(f"   {embed['url']}")
        if embed.get("description"):
            lines.append(embed["description"])
        for fld in embed.get("fields", []):
            lines.append(f"-- {fld['name']}: {fld['value']}")
        if embed.get("footer"):
            lines.append(f"   ({embed['footer']['text']})")
    buttons = message.buttons
    if buttons:
        lines.append(
            "   ".join(
                f"[{i}] {b.get('label', '')}{' (disabled)' if b.get('disabled') else ''}"
                for i, b in enumerate(buttons, start=1)
            )
        )
    for component in message.iter_components():
        if component.get("type") == 3:
            lines.append(f"menu: {component.get('placeholder', '')}")
            lines.extend(
                f"  ({i}) {o['label']}" for i, o in enumerate(component.get("options", []), start=1)
            )
    for attachment in message.attachments:
        lines.append(f"   (attached: {attachment.filename}, {attachment.size:,} bytes)")
    if message.flags & 64:
        lines.append("   (only you can see this)")
    text = "\n".join(lines)
    return text if world is None else names_for_mentions(text, world)


def names_for_mentions(text: str, world: World) -> str:
    """``<#id>`` → ``#papers``, ``<@&id>`` → ``@role``, ``<@id>`` → ``@user``, as Discord shows
    them; an id the emulator does not know stays as it is."""

    def name(match: re.Match[str]) -> str:
        kind, number = match.group(1), int(match.group(2))
        if kind == "#":
            channel = world.channels.get(number)
            return f"#{channel.name}" if channel is not None else match.group(0)
        if kind == "@&":
            for guild in world.guilds.values():
                role = guild.roles.get(number)
                if role is not None:
                    return f"@{role.name}"
            return match.group(0)
        user = world.users.get(number)
        return f"@{user.global_name or user.username}" if user is not None else match.group(0)

    return _MENTION.sub(name, text)
