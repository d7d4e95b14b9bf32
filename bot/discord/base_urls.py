"""Where discord.py connects: Discord itself, a REST/gateway proxy, or the local emulator."""

from __future__ import annotations

import discord.gateway
import discord.http
import yarl


def use_discord_endpoints(rest_url: str, gateway_url: str) -> None:
    """Point discord.py's REST base and gateway at the given URLs (process-wide).

    discord.py keeps both as class attributes (`Route.BASE`, `DEFAULT_GATEWAY`); the webhook
    adapter used for interaction responses builds its URLs from `Route.BASE` too.
    """
    discord.http.Route.BASE = rest_url.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
