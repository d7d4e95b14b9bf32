"""The Discord side of the bot: the discord.py client, its command tree and translator.

Everything that imports discord.py lives here or in `cogs/`; the core (`bot.digests`,
`bot.store`, `bot.render`) never does.
"""
