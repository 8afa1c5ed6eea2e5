"""Bytes to text, and text to the exact form we store.

The stored text is what every chunk offset and citation points into, so it is cleaned once,
here, and never again downstream. Cleaning keeps the words and the paragraph breaks exactly
and only removes what nobody can see or quote:

- newlines unified to ``\\n`` (also U+2028/U+2029, vertical tab, form feed);
- Unicode NFC, so that "é" is one code point whichever way the source encoded it;
- control characters other than ``\\n`` and ``\\t`` removed, as are invisible format characters
  that break word matching (BOM, zero-width space, soft hyphen, word joiner);
- every other kind of space (no-break space, thin space, ...) becomes a plain space;
- trailing spaces on each line removed, runs of blank lines reduced to one blank line,
  leading and trailing blank space of the whole text removed.

Decoding order: byte-order mark, then the declared charset, then UTF-8, then Windows-1252
(a superset of Latin-1 used by most Western legacy text). Other legacy encodings need a declared
charset (HTTP header, HTML ``<meta charset>``). Data that is clearly not text (NUL bytes without
a UTF-16 pattern, known binary signatures, or many control characters) raises ``NotText``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

__all__ = ["NotText", "clean_text", "decode_bytes", "looks_binary"]


class NotText(ValueError):
    """The bytes are a binary file (an image, a PDF, an archive...), not text."""

    def __init__(self, message: str = "binary file, not text") -> None:
        super().__init__(message)


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Only signatures no text file starts with; other binaries show themselves by NULs and controls.
_BINARY_SIGNATURES = (
    b"%PDF-",
    b"PK\x03\x04",
    b"\x89PNG",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",
    b"\x1f\x8b",
    b"\xfd7zXZ",
    b"7z\xbc\xaf",
    b"Rar!\x1a",
    b"\x7fELF",
    b"SQLite format 3\x00",
    b"\xd0\xcf\x11\xe0",
)
# Latin-1 family labels that servers send by default even for UTF-8 bodies.
_WEAK_DECLARATIONS = {"iso-8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii", "cp1252", "windows-1252"}
_SAMPLE = 8192
_MAX_CONTROL_RATIO = 0.05

_OTHER_NEWLINES = ("\u2028", "\u2029", "\x0b", "\x0c", "\x85")
_NEWLINES = re.compile("[\u2028\u2029\x0b\x0c\x85]")
_INVISIBLE = re.compile("[\ufeff\u200b\u00ad\u2060\ufffe]")
_BLANK_RUNS = re.compile(r"\n{3,}")
# Control characters other than \n and \t go; every other kind of space becomes " ".
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")


def _control_ratio(text: str) -> float:
    sample = text[:_SAMPLE]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f\x0b")
    return bad / len(sample)


def _utf16_without_bom(data: bytes) -> str | None:
    # ASCII-heavy UTF-16 has a NUL in every other byte; pick the side where they sit.
    sample = data[:_SAMPLE]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    encoding = "utf-16-le" if odd > 0.4 and even < 0.05 else "utf-16-be" if even > 0.4 and odd < 0.05 else None
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def looks_binary(data: bytes) -> bool:
    """Whether the bytes are evidently not text (without decoding the whole thing)."""
    head = data[:_SAMPLE]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if head.startswith(_BINARY_SIGNATURES):
        return True
    if b"\x00" in head:
        return _utf16_without_bom(data) is None
    return False


def _normal_encoding(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Decode bytes to ``str``, trying BOM, ``declared`` charset, UTF-8, then Windows-1252.

    A declared Latin-1/ASCII/Windows-1252 charset yields to UTF-8 when the bytes are valid UTF-8
    with non-ASCII sequences: servers label UTF-8 pages Latin-1 by default, while valid multi-byte
    UTF-8 almost never happens by chance. Raises ``NotText`` for binary data.
    """
    if not data:
        return ""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise NotText(f"invalid {encoding} text after its byte-order mark") from None
    if looks_binary(data):
        raise NotText()
    if b"\x00" in data[:_SAMPLE]:
        wide = _utf16_without_bom(data)
        if wide is not None:
            return wide

    declared_as = _normal_encoding(declared)
    weak = declared_as in {codecs.lookup(n).name for n in _WEAK_DECLARATIONS}
    # A strong declaration first, then UTF-8, then a weak one; cp1252 leaves five bytes undefined,
    # which Latin-1 (it decodes anything) maps to C1 controls, counted below.
    tries = [declared_as] if declared_as and not weak else []
    tries += ["utf-8", *([declared_as] if declared_as and weak else []), "cp1252", "latin-1"]
    text = next(decoded for decoded in (_decoded(data, encoding) for encoding in tries) if decoded is not None)
    if _control_ratio(text) > _MAX_CONTROL_RATIO:
        raise NotText()
    return text


def _decoded(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def clean_text(text: str) -> str:
    """The stored form of a text: see the module docstring for exactly what changes."""
    # Each step is skipped when a cheap substring test shows it has nothing to do: most texts
    # are clean already, and ingest cleans millions of characters.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(mark in text for mark in _OTHER_NEWLINES):
        text = _NEWLINES.sub("\n", text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        text = _INVISIBLE.sub("", text)
        text = _SPACES.sub(" ", text)
    text = _CONTROLS.sub("", text)
    if " \n" in text or "\t\n" in text:
        text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    if "\n\n\n" in text:
        text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip()
