"""paperbot: a Discord bot for Korean and English ML paper-reading communities."""
