"""Per-user topic alerts: follow tags and keywords, list, pause, resume (plain data for a cog).

Discord-free. Any tag of the vocabulary (aliases resolved) or carried by a stored paper can be
followed, even one no paper has yet (an unknown tag names the nearest ones, as ``/search``
does); keywords are free text. The DMs themselves are sent by
``bot.delivery.AlertWorker`` from the outbox the ingest fills.
"""

from __future__ import annotations

import hashlib

from bot.i18n import Lang, t
from bot.i18n.user_text import plain_user_text
from bot.render.admin import subscriptions_embed
from bot.render.message import Embed
from bot.services.lookup import Lookup
from bot.services.refusals import UserFacingError
from bot.store import Store
from bot.store.community.alerts import MAX_SUBSCRIPTIONS, SubKind, normalise_value

__all__ = ["Subscriptions"]

AUTOCOMPLETE_LIMIT = 25


class Subscriptions:
    def __init__(self, store: Store, lookup: Lookup) -> None:
        self.store = store
        self.lookup = lookup

    async def follow_tag(self, user_id: int, raw: str, lang: Lang) -> str:
        tag = await self.lookup.followable_tag(raw)  # NotFoundError with the nearest tags
        return await self._follow(user_id, "tag", tag, lang)

    async def follow_keyword(self, user_id: int, raw: str, lang: Lang) -> str:
        if not normalise_value("keyword", raw):
            raise UserFacingError("alerts.empty_keyword")
        return await self._follow(user_id, "keyword", raw, lang)

    async def _follow(self, user_id: int, kind: SubKind, value: str, lang: Lang) -> str:
        try:
            added = await self.store.alerts.follow(user_id, kind, value, locale=lang)
        except ValueError as exc:
            raise UserFacingError("alerts.too_many", limit=MAX_SUBSCRIPTIONS) from exc
        shown = normalise_value(kind, value)
        if not added:
            return t("alerts.already", lang, value=shown)
        return t(f"alerts.followed_{kind}", lang, value=shown)

    async def unfollow(self, user_id: int, raw: str, lang: Lang) -> str:
        """``raw`` is ``tag:x`` / ``keyword:x`` (from autocomplete) or plain text: a tag first,
        then a keyword."""
        kind, _, value = raw.partition(":")
        candidates: list[tuple[SubKind, str]]
        if kind == "digest" and value:  # a long subscription, named by its digest
            subs = await self.store.alerts.subscriptions(user_id)
            candidates = [(s.kind, s.value) for s in subs if _digest(s.kind, s.value) == value]
        elif kind == "tag" and value:
            candidates = [("tag", value)]
        elif kind == "keyword" and value:
            candidates = [("keyword", value)]
        else:
            candidates = [("tag", raw), ("keyword", raw)]
        for sub_kind, text in candidates:
            if await self.store.alerts.unfollow(user_id, sub_kind, text):
                return t("alerts.unfollowed", lang, value=normalise_value(sub_kind, text))
        raise UserFacingError("alerts.not_following", value=raw[:100])

    async def subscription_choices(self, user_id: int, typed: str) -> list[tuple[str, str]]:
        """(label, value) pairs of the user's subscriptions matching what was typed."""
        needle = typed.strip().casefold()
        choices = []
        for sub in await self.store.alerts.subscriptions(user_id):
            if needle in sub.value.casefold():
                shown = plain_user_text(sub.value)
                label = f"#{shown}" if sub.kind == "tag" else f"“{shown}”"
                choices.append((label[:100], _choice_value(sub.kind, sub.value)))
        return choices[:AUTOCOMPLETE_LIMIT]

    async def listing(self, user_id: int, lang: Lang) -> Embed:
        subs = await self.store.alerts.subscriptions(user_id)
        user = await self.store.alerts.get_user(user_id)
        return subscriptions_embed(subs, user, lang)

    async def pause(self, user_id: int, lang: Lang) -> str:
        await self.store.alerts.set_paused(user_id, True)
        return t("alerts.paused", lang)

    async def resume(self, user_id: int, lang: Lang) -> str:
        await self.store.alerts.set_paused(user_id, False)
        await self.store.alerts.set_locale(user_id, lang)
        return t("alerts.resumed", lang)


CHOICE_VALUE_LIMIT = 100  # Discord's limit for an autocomplete choice's value


def _choice_value(kind: SubKind, value: str) -> str:
    """``kind:value``, or for one too long for Discord a digest that ``unfollow`` resolves:
    cutting it short would name a subscription that does not exist."""
    plain = f"{kind}:{value}"
    return plain if len(plain) <= CHOICE_VALUE_LIMIT else f"digest:{_digest(kind, value)}"


def _digest(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:16]
