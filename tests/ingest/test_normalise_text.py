"""Bytes to text, and the exact cleaning applied to stored text."""

from __future__ import annotations

import pytest

from ingest.normalise.text import NotText, clean_text, decode_bytes

ACCENTED = "Le café était très bon – à côté de l’église, naïve Zoë."


def test_windows_1252_text_with_accents_decodes_correctly() -> None:
    assert decode_bytes(ACCENTED.encode("cp1252")) == ACCENTED


def test_latin_1_text_with_accents_decodes_correctly() -> None:
    text = "Le café était très bon à côté."
    assert decode_bytes(text.encode("latin-1")) == text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-32"])
def test_text_with_a_byte_order_mark_decodes_correctly(encoding: str) -> None:
    assert decode_bytes(ACCENTED.encode(encoding)) == ACCENTED


def test_utf16_without_a_byte_order_mark_is_still_text() -> None:
    assert decode_bytes(ACCENTED.encode("utf-16-le")) == ACCENTED


def test_a_declared_charset_is_used() -> None:
    text = "Привет, мир"
    assert decode_bytes(text.encode("cp1251"), "windows-1251") == text


def test_utf8_wins_over_a_default_latin1_declaration() -> None:
    assert decode_bytes(ACCENTED.encode("utf-8"), "ISO-8859-1") == ACCENTED


def test_an_unknown_declared_charset_is_ignored() -> None:
    assert decode_bytes(ACCENTED.encode("utf-8"), "no-such-charset") == ACCENTED


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        bytes(range(256)) * 8,
        b"ab\x00cd\x01\x02\x03",
    ],
)
def test_binary_data_is_refused_as_not_text(data: bytes) -> None:
    with pytest.raises(NotText, match="binary file, not text"):
        decode_bytes(data)


def test_cleaning_keeps_paragraph_breaks_and_drops_what_nobody_can_see() -> None:
    raw = "  First line\u00a0 \r\nsecond\u200bline\t \r\n\r\n\r\n\r\nNext\x07 para\u00a0\n"
    assert clean_text(raw) == "First line\nsecondline\n\nNext para"


def test_cleaning_composes_accents_into_single_characters() -> None:
    assert clean_text("Cafe\u0301") == "Caf\u00e9"
