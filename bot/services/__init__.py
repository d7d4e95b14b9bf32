"""What the cogs call: lookup, subscriptions, server administration. No discord.py here."""
