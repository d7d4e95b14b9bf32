"""Bytes to text: every encoding a digest file has been seen in, and binary files refused."""

from __future__ import annotations

import codecs

import pytest

from bot.digests.decode import decode_bytes
from bot.digests.errors import DigestFormatError, UndecodableError

KOREAN = "2024년 2월 6일\nQwen 1.5가 나왔습니다. 베이스 모델 자체에 업데이트가 있었군요.\n#llm\n"
LATIN = "Déjà vu: A Café Study of Naïve Benoît Models\n(Benoît Sagot, José García)\n"


@pytest.mark.parametrize(
    "data",
    [
        KOREAN.encode("utf-8"),
        codecs.BOM_UTF8 + KOREAN.encode("utf-8"),
        codecs.BOM_UTF16_LE + KOREAN.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + KOREAN.encode("utf-16-be"),
        KOREAN.encode("utf-16"),  # the codec writes its own BOM
        codecs.BOM_UTF32_LE + KOREAN.encode("utf-32-le"),
        KOREAN.encode("cp949"),
        KOREAN.encode("euc-kr"),
    ],
)
def test_korean_in_every_encoding(data: bytes) -> None:
    assert decode_bytes(data) == KOREAN


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_western_legacy_encodings(encoding: str) -> None:
    assert decode_bytes(LATIN.encode(encoding)) == LATIN


def test_cp1252_typographic_quotes() -> None:
    text = "Smart “quotes” — Benoît’s café\n"
    assert decode_bytes(text.encode("cp1252")) == text


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"a\r\nb\r\n", "a\nb\n"),
        (b"a\rb\r", "a\nb\n"),
        (b"a\r\n\r\nb", "a\n\nb"),
        ("줄\r\n".encode("utf-16"), "줄\n"),
    ],
)
def test_line_ends_are_normalised(data: bytes, text: str) -> None:
    assert decode_bytes(data) == text


def test_empty_bytes_are_empty_text() -> None:
    assert decode_bytes(b"") == ""


def test_nul_bytes_mean_binary_and_name_the_line() -> None:
    with pytest.raises(UndecodableError) as caught:
        decode_bytes(b"first\nsecond\n\x00\x01\x02")
    assert caught.value.line == 3
    assert isinstance(caught.value, DigestFormatError)


def test_png_is_binary() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(UndecodableError):
        decode_bytes(png)


def test_control_characters_without_nul_mean_binary() -> None:
    data = bytes(range(1, 32)) * 100 + b"some text"
    with pytest.raises(UndecodableError, match="control characters"):
        decode_bytes(data)


def test_a_stray_control_character_is_tolerated() -> None:
    assert decode_bytes(b"title\x1b\n" + b"text " * 100) == "title\x1b\n" + "text " * 100


def test_broken_utf16_after_its_bom() -> None:
    with pytest.raises(UndecodableError) as caught:
        decode_bytes(codecs.BOM_UTF16_LE + "ok\n".encode("utf-16-le") + b"\x00\xd8")
    assert caught.value.line == 2
