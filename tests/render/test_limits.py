"""Every embed fits Discord's limits whatever the data."""

from bot.render import limits
from bot.render.limits import embed_length, fit_embed, fit_message, shorten


def test_shorten_keeps_short_text_and_cuts_long_text_with_ellipsis() -> None:
    assert shorten("short", 10) == "short"
    cut = shorten("word " * 100, 50)
    assert len(cut) <= 50
    assert cut.endswith(limits.ELLIPSIS)
    assert not cut[:-1].endswith(" ")


def test_fit_embed_enforces_every_per_embed_limit() -> None:
    huge = "가" * 10_000
    embed = fit_embed(
        {
            "title": huge,
            "description": huge,
            "footer": {"text": huge},
            "author": {"name": huge},
            "fields": [{"name": huge, "value": huge} for _ in range(40)],
        }
    )
    assert len(embed["title"]) <= limits.TITLE
    assert len(embed["description"]) <= limits.DESCRIPTION
    assert len(embed["footer"]["text"]) <= limits.FOOTER
    assert len(embed["author"]["name"]) <= limits.AUTHOR
    assert len(embed["fields"]) == limits.FIELDS
    assert all(len(f["name"]) <= limits.FIELD_NAME for f in embed["fields"])
    assert all(len(f["value"]) <= limits.FIELD_VALUE for f in embed["fields"])


def test_fit_message_respects_total_budget_and_embed_count() -> None:
    embeds = [
        {
            "title": "t",
            "description": "x" * 4000,
            "fields": [{"name": "n", "value": "v" * 1000}] * 5,
        }
        for _ in range(12)
    ]
    fitted = fit_message(embeds)
    assert len(fitted) <= limits.EMBEDS_PER_MESSAGE
    assert sum(embed_length(e) for e in fitted) <= limits.TOTAL
    assert fitted[0]["title"] == "t"


def test_empty_field_values_become_a_visible_placeholder() -> None:
    embed = fit_embed({"fields": [{"name": "", "value": "   "}]})
    assert embed["fields"][0]["name"]
    assert embed["fields"][0]["value"]
