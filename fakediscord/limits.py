"""Discord's size limits on what a bot sends, answered with 400 / code 50035 like Discord."""

from __future__ import annotations

from typing import Any, Final

from .api_errors import ApiError, FormErrors
from .constants import ComponentType, ErrorCode, MessageFlag

CONTENT_MAX: Final = 2000
EMBEDS_MAX: Final = 10
EMBED_TITLE_MAX: Final = 256
EMBED_DESCRIPTION_MAX: Final = 4096
EMBED_FIELDS_MAX: Final = 25
EMBED_FIELD_NAME_MAX: Final = 256
EMBED_FIELD_VALUE_MAX: Final = 1024
EMBED_FOOTER_MAX: Final = 2048
EMBED_AUTHOR_MAX: Final = 256
EMBED_TOTAL_MAX: Final = 6000
ACTION_ROWS_MAX: Final = 5
ROW_BUTTONS_MAX: Final = 5
CUSTOM_ID_MAX: Final = 100
BUTTON_LABEL_MAX: Final = 80
SELECT_OPTIONS_MAX: Final = 25
SELECT_PLACEHOLDER_MAX: Final = 150
V2_COMPONENTS_MAX: Final = 40
AUTOCOMPLETE_CHOICES_MAX: Final = 25
CHOICE_NAME_MAX: Final = 100
MODAL_TITLE_MAX: Final = 45


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def embed_length(embed: dict[str, Any]) -> int:
    """The characters Discord counts towards the 6,000 per message."""
    total = len(_text(embed.get("title"))) + len(_text(embed.get("description")))
    for f in embed.get("fields") or []:
        if isinstance(f, dict):
            total += len(_text(f.get("name"))) + len(_text(f.get("value")))
    footer = embed.get("footer")
    if isinstance(footer, dict):
        total += len(_text(footer.get("text")))
    author = embed.get("author")
    if isinstance(author, dict):
        total += len(_text(author.get("name")))
    return total


def _check_url(
    value: Any, path: tuple[str | int, ...], errors: FormErrors, *, attachment: bool = False
) -> None:
    """Discord keeps an embed's links as sent, but only http(s) ones (and, for images,
    ``attachment://``): anything else is 400 "Not a well formed URL"."""
    if value is None:
        return
    schemes = ("http://", "https://", "attachment://") if attachment else ("http://", "https://")
    text = value if isinstance(value, str) else ""
    if not text.startswith(schemes) or len(text.split("://", 1)[1]) == 0 or " " in text:
        errors.add(path, "URL_TYPE_INVALID_URL", "Not a well formed URL.")


def _check_embed_urls(embed: dict[str, Any], i: int, errors: FormErrors) -> None:
    _check_url(embed.get("url"), ("embeds", i, "url"), errors)
    author = embed.get("author")
    if isinstance(author, dict):
        if not _text(author.get("name")):
            errors.add(
                ("embeds", i, "author", "name"), "BASE_TYPE_REQUIRED", "This field is required"
            )
        _check_url(author.get("url"), ("embeds", i, "author", "url"), errors)
        _check_url(
            author.get("icon_url"), ("embeds", i, "author", "icon_url"), errors, attachment=True
        )
    footer = embed.get("footer")
    if isinstance(footer, dict):
        _check_url(
            footer.get("icon_url"), ("embeds", i, "footer", "icon_url"), errors, attachment=True
        )
    for key in ("image", "thumbnail"):
        media = embed.get(key)
        if isinstance(media, dict):
            _check_url(media.get("url"), ("embeds", i, key, "url"), errors, attachment=True)


def check_embeds(embeds: Any, errors: FormErrors) -> None:
    if not isinstance(embeds, list):
        errors.add(("embeds",), "BASE_TYPE_ARRAY", "Must be an array.")
        return
    if len(embeds) > EMBEDS_MAX:
        errors.max_length(("embeds",), EMBEDS_MAX)
    total = 0
    for i, embed in enumerate(embeds):
        if not isinstance(embed, dict):
            errors.add(("embeds", i), "MODEL_TYPE_CONVERT", "Only dictionaries may be used.")
            continue
        total += embed_length(embed)
        _check_embed_urls(embed, i, errors)
        for key, limit in (("title", EMBED_TITLE_MAX), ("description", EMBED_DESCRIPTION_MAX)):
            if len(_text(embed.get(key))) > limit:
                errors.max_length(("embeds", i, key), limit)
        fields = embed.get("fields") or []
        if len(fields) > EMBED_FIELDS_MAX:
            errors.max_length(("embeds", i, "fields"), EMBED_FIELDS_MAX)
        for j, f in enumerate(fields):
            if not isinstance(f, dict):
                continue
            for key, limit in (("name", EMBED_FIELD_NAME_MAX), ("value", EMBED_FIELD_VALUE_MAX)):
                value = _text(f.get(key))
                if not value:
                    errors.add(
                        ("embeds", i, "fields", j, key),
                        "BASE_TYPE_REQUIRED",
                        "This field is required",
                    )
                elif len(value) > limit:
                    errors.max_length(("embeds", i, "fields", j, key), limit)
        footer = embed.get("footer")
        if isinstance(footer, dict) and len(_text(footer.get("text"))) > EMBED_FOOTER_MAX:
            errors.max_length(("embeds", i, "footer", "text"), EMBED_FOOTER_MAX)
        author = embed.get("author")
        if isinstance(author, dict) and len(_text(author.get("name"))) > EMBED_AUTHOR_MAX:
            errors.max_length(("embeds", i, "author", "name"), EMBED_AUTHOR_MAX)
    if total > EMBED_TOTAL_MAX:
        errors.add(
            ("embeds",),
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}",
        )


def _check_interactive(
    component: dict[str, Any], path: tuple[str | int, ...], errors: FormErrors
) -> None:
    ctype = component.get("type")
    custom_id = component.get("custom_id")
    if isinstance(custom_id, str) and len(custom_id) > CUSTOM_ID_MAX:
        errors.max_length((*path, "custom_id"), CUSTOM_ID_MAX)
    if ctype == ComponentType.BUTTON:
        if len(_text(component.get("label"))) > BUTTON_LABEL_MAX:
            errors.max_length((*path, "label"), BUTTON_LABEL_MAX)
        if component.get("style") != 5 and component.get("style") != 6 and not custom_id:
            errors.add((*path, "custom_id"), "BASE_TYPE_REQUIRED", "This field is required")
    elif ctype in (3, 5, 6, 7, 8):
        options = component.get("options") or []
        if len(options) > SELECT_OPTIONS_MAX:
            errors.max_length((*path, "options"), SELECT_OPTIONS_MAX)
        if len(_text(component.get("placeholder"))) > SELECT_PLACEHOLDER_MAX:
            errors.max_length((*path, "placeholder"), SELECT_PLACEHOLDER_MAX)


def check_components(components: Any, flags: int, errors: FormErrors) -> None:
    if not isinstance(components, list):
        errors.add(("components",), "BASE_TYPE_ARRAY", "Must be an array.")
        return
    if flags & MessageFlag.IS_COMPONENTS_V2:
        count = 0

        def walk(items: list[Any], path: tuple[str | int, ...]) -> None:
            nonlocal count
            for i, item in enumerate(items):
                if not isinstance(item, dict):
                    continue
                count += 1
                _check_interactive(item, (*path, i), errors)
                children = item.get("components")
                if isinstance(children, list):
                    walk(children, (*path, i, "components"))
                accessory = item.get("accessory")
                if isinstance(accessory, dict):
                    count += 1
                    _check_interactive(accessory, (*path, i, "accessory"), errors)

        walk(components, ("components",))
        if count > V2_COMPONENTS_MAX:
            errors.max_length(("components",), V2_COMPONENTS_MAX)
        return
    if len(components) > ACTION_ROWS_MAX:
        errors.max_length(("components",), ACTION_ROWS_MAX)
    for i, row in enumerate(components):
        if not isinstance(row, dict) or row.get("type") != ComponentType.ACTION_ROW:
            errors.add(
                ("components", i, "type"),
                "UNION_TYPE_CHOICES",
                'Value of field "type" must be one of (1,).',
            )
            continue
        children = row.get("components") or []
        if not children:
            errors.add(
                ("components", i, "components"),
                "BASE_TYPE_MIN_LENGTH",
                "Must be 1 or more in length.",
            )
        width = 0
        for j, child in enumerate(children):
            if not isinstance(child, dict):
                continue
            width += 1 if child.get("type") == ComponentType.BUTTON else 5
            _check_interactive(child, ("components", i, "components", j), errors)
        if width > ROW_BUTTONS_MAX:
            errors.add(
                ("components", i, "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            )


def check_allowed_mentions(allowed: Any, errors: FormErrors) -> None:
    if allowed is None:
        return
    if not isinstance(allowed, dict):
        errors.add(("allowed_mentions",), "MODEL_TYPE_CONVERT", "Only dictionaries may be used.")
        return
    parse = allowed.get("parse") or []
    for kind in ("users", "roles"):
        ids = allowed.get(kind) or []
        if kind in parse and ids:
            errors.add(
                ("allowed_mentions",),
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{kind}"] and {kind}: {ids} are mutually exclusive.',
            )
        if len(ids) > 100:
            errors.max_length(("allowed_mentions", kind), 100)


def validate_message(body: dict[str, Any], *, creating: bool, has_files: bool = False) -> None:
    """Raise :class:`ApiError` for a message body Discord would reject."""
    errors = FormErrors()
    content = body.get("content")
    if content is not None and not isinstance(content, str):
        errors.add(("content",), "BASE_TYPE_STRING", "Must be a string.")
    elif isinstance(content, str) and len(content) > CONTENT_MAX:
        errors.max_length(("content",), CONTENT_MAX)
    flags = body.get("flags") or 0
    if not isinstance(flags, int):
        errors.add(("flags",), "NUMBER_TYPE_COERCE", "Value is not int.")
        flags = 0
    if body.get("embeds") is not None:
        check_embeds(body["embeds"], errors)
    if body.get("components") is not None:
        check_components(body["components"], flags, errors)
    if flags & MessageFlag.IS_COMPONENTS_V2 and (content or body.get("embeds")):
        errors.add(
            ("content",) if content else ("embeds",),
            "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
            "The 'content' and 'embeds' fields cannot be used when using "
            "MessageFlags.IS_COMPONENTS_V2",
        )
    check_allowed_mentions(body.get("allowed_mentions"), errors)
    errors.raise_if_any()
    if creating and not (
        content
        or body.get("embeds")
        or body.get("components")
        or body.get("sticker_ids")
        or body.get("poll")
        or has_files
    ):
        raise ApiError(400, ErrorCode.CANNOT_SEND_EMPTY_MESSAGE)


def validate_autocomplete(data: dict[str, Any]) -> None:
    errors = FormErrors()
    choices = data.get("choices")
    if not isinstance(choices, list):
        errors.add(("data", "choices"), "BASE_TYPE_REQUIRED", "This field is required")
        errors.raise_if_any()
        return
    if len(choices) > AUTOCOMPLETE_CHOICES_MAX:
        errors.max_length(("data", "choices"), AUTOCOMPLETE_CHOICES_MAX)
    for i, choice in enumerate(choices):
        if not isinstance(choice, dict):
            continue
        name = _text(choice.get("name"))
        if not name:
            errors.add(
                ("data", "choices", i, "name"), "BASE_TYPE_REQUIRED", "This field is required"
            )
        elif len(name) > CHOICE_NAME_MAX:
            errors.max_length(("data", "choices", i, "name"), CHOICE_NAME_MAX)
        value = choice.get("value")
        if isinstance(value, str) and len(value) > CHOICE_NAME_MAX:
            errors.max_length(("data", "choices", i, "value"), CHOICE_NAME_MAX)
    errors.raise_if_any()


def validate_modal(data: dict[str, Any]) -> None:
    errors = FormErrors()
    title = _text(data.get("title"))
    if not title:
        errors.add(("data", "title"), "BASE_TYPE_REQUIRED", "This field is required")
    elif len(title) > MODAL_TITLE_MAX:
        errors.max_length(("data", "title"), MODAL_TITLE_MAX)
    custom_id = _text(data.get("custom_id"))
    if not custom_id:
        errors.add(("data", "custom_id"), "BASE_TYPE_REQUIRED", "This field is required")
    elif len(custom_id) > CUSTOM_ID_MAX:
        errors.max_length(("data", "custom_id"), CUSTOM_ID_MAX)
    components = data.get("components") or []
    if not 1 <= len(components) <= 5:
        errors.add(
            ("data", "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
        )
    errors.raise_if_any()
