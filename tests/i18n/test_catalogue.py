"""The message catalogue: plurals, user text always quoted, commands named as clients see them."""

from __future__ import annotations

import re

from bot.i18n import COMMAND_TEXT, MESSAGES, Msg, t

USER_TEXT = ("query", "tag", "value", "zone", "time")


def test_counted_english_nouns_have_a_singular_form() -> None:
    for key, (english, _) in MESSAGES.items():
        if "#" in key:
            continue
        if re.search(r"\{count\} [a-z ]*?[a-z]+s\b", english):
            assert f"{key}#one" in MESSAGES, f"{key}: {english!r} would say '1 ...s'"


def test_singular_forms() -> None:
    assert t("digest.papers", "en", count=1) == "1 paper"
    assert t("digest.papers", "en", count=2) == "2 papers"
    assert t("digest.papers", "ko", count=1) == "논문 1편"
    assert t("tags.footer", "en", count=1).startswith("1 tag ·")
    assert t("error.cooldown", "en", seconds=1, count=1).endswith("in a second.")
    assert "3초" in t("error.cooldown", "ko", seconds=3, count=3)


def test_user_text_placeholders_are_always_quoted() -> None:
    for key, texts in MESSAGES.items():
        for text in texts:
            for name in USER_TEXT:
                assert f"{{{name}}}" not in text, f"{key}: {{{name}}} needs !q or !p"
    assert t("search.empty", "en", query="```", hint="") == "No papers match `` `\u200b`\u200b` ``."
    bad = t("error.unknown_tag", "ko", tag="**x** <@1>", hint=Msg("hint.see_tags"))
    assert bad.startswith("`**x** <@1>` 태그가 없습니다.")


def test_korean_messages_name_korean_commands() -> None:
    korean_names = set(COMMAND_TEXT.values())
    for key, (_, korean) in MESSAGES.items():
        for command in re.findall(r"`/([^`]+)`", korean):
            words = command.split()
            assert all(word in korean_names for word in words), f"{key}: /{command}"
