"""A Discord user: a person or the bot."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(eq=False)
class User:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    locale: str = "en-US"
    #: ``False`` models "Allow direct messages from server members" switched off: the bot's
    #: ``POST /channels/{dm}/messages`` gets 403 code 50007.
    dms_open: bool = True
    avatar: str | None = None

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def __repr__(self) -> str:
        return f"<User {self.username} id={self.id}>"
