"""Bytes to text for digest files of unknown origin.

Digests are copied from web pages, exported from note apps and saved by editors on Windows, so a
file may be UTF-8 with or without a BOM, UTF-16 with a BOM, or a legacy code page: CP949/EUC-KR
(old Korean Windows) or cp1252/Latin-1. The order of attempts matters:

1. A BOM is authoritative (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE).
2. NUL bytes without a BOM mean a binary file: no text encoding we accept produces them.
3. Strict UTF-8: legacy Korean or Latin-1 text almost never decodes as valid UTF-8 by accident.
   A file cut off in the middle of its last character is still UTF-8: the broken tail goes.
4. charset-normalizer, restricted to the code pages this community actually uses. Left free it
   happily calls short Latin-1 text cp1257 or EUC-KR text UTF-16, which garbles every accent.
5. Whatever came out must be text: mostly control characters means a binary file after all.

Line ends are normalised to ``\\n`` so that every parser, and every line number it reports,
sees one convention.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from bot.digests.errors import UndecodableError

# Legacy encodings worth trying, most specific first; latin_1 never fails, so it is the floor.
LEGACY_ENCODINGS = ("cp949", "cp1252", "latin_1")

# More than this share of control characters (other than tab, newline, form feed) means binary.
MAX_CONTROL_RATIO = 0.05

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_bytes(data: bytes) -> str:
    """Decode a digest file to text with ``\\n`` line ends, or raise :class:`UndecodableError`."""
    text = _decode_with_bom(data)
    if text is None:
        if (nul := data.find(b"\x00")) != -1:
            raise UndecodableError(
                data.count(b"\n", 0, nul) + 1, "binary file: NUL byte without a UTF-16 BOM"
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            if _cut_mid_character(data, error):
                text = data[: error.start].decode("utf-8")
            else:
                text = _decode_legacy(data)
    text = normalise_newlines(text)
    _reject_control_heavy(text)
    return text


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; a leading BOM character is dropped."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _decode_with_bom(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                return body.decode(encoding)
            except UnicodeDecodeError as error:
                valid = body[: error.start].decode(encoding, errors="replace")
                line = valid.count("\n") + 1
                raise UndecodableError(line, f"invalid {encoding} after its BOM") from error
    return None


def _cut_mid_character(data: bytes, error: UnicodeDecodeError) -> bool:
    """UTF-8 that is valid up to a file cut off in the middle of its last character."""
    return error.end == len(data) and len(data) - error.start < 4 and error.start > 0


def _decode_legacy(data: bytes) -> str:
    best = charset_normalizer.from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is not None:
        return str(best)
    for encoding in LEGACY_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UndecodableError(1, "not text in UTF-8, UTF-16, CP949 or Latin-1")  # pragma: no cover


def _reject_control_heavy(text: str) -> None:
    first = _CONTROL.search(text)
    if first is None:
        return
    controls = _CONTROL.subn("", text)[1]
    if controls > MAX_CONTROL_RATIO * len(text) or "\x00" in text:
        line = text.count("\n", 0, first.start()) + 1
        raise UndecodableError(line, "binary file: mostly control characters")
