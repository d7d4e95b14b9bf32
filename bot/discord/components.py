"""Components from the render layer's plain dicts, for messages the bot sends."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.render.message import Component

__all__ = ["static_view"]


def static_view(components: Sequence[Component]) -> discord.ui.View:
    """A view holding ``components`` (action rows of buttons and select menus) to send.

    It is stopped before it is sent, so discord.py never stores it: presses are handled by
    the ``DynamicItem``s below, whose templates match the custom ids."""
    view = discord.ui.View(timeout=None)
    for row, action_row in enumerate(components[:5]):
        for component in action_row.get("components", []):
            if component.get("type") == 2:
                view.add_item(
                    discord.ui.Button(
                        style=discord.ButtonStyle(int(component.get("style", 2))),
                        label=component.get("label"),
                        custom_id=component.get("custom_id"),
                        row=row,
                    )
                )
            elif component.get("type") == 3:
                view.add_item(
                    discord.ui.Select(
                        custom_id=str(component["custom_id"]),
                        placeholder=component.get("placeholder"),
                        min_values=int(component.get("min_values", 1)),
                        max_values=int(component.get("max_values", 1)),
                        options=[
                            discord.SelectOption(label=str(o["label"]), value=str(o["value"]))
                            for o in component.get("options", [])
                        ],
                        row=row,
                    )
                )
    view.stop()
    return view
