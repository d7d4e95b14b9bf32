"""The digest models: the one list of a paper's text fields is the model's."""

from __future__ import annotations

from bot.digests.models import TEXT_FIELDS, Paper


def test_the_text_fields_are_the_papers_optional_text() -> None:
    text = {
        name
        for name, field in Paper.model_fields.items()
        if field.annotation in (str | None, "str | None")
    }
    assert set(TEXT_FIELDS) == text
    assert len(TEXT_FIELDS) == len(set(TEXT_FIELDS))
