"""Plain-text and Markdown articles (``.txt``, ``.md``): one file, one article.

The layout is the one of ``shared/seed/kazakhstan-csto.txt`` and its common variants::

    Headline                                  <- or "# Headline", or a front-matter title
    Standfirst paragraph (optional)
    Byline (optional)                         <- "By Jane Doe", "Jane Doe, Reuters", "Anish Kumar"
    Dateline (optional)                       <- "Almaty, First Published Jan 11, 2022, 12:18 AM IST"
    Body paragraphs...                        <- may open with "LONDON (Reuters) - ..."

Decisions:

- Indentation is removed line by line (news text never depends on it); paragraphs (blank lines)
  are kept, as is every word of the body.
- The standfirst stays in the text, as its first paragraph: it carries facts people ask about.
  Byline and dateline lines are metadata only and are removed from the text.
- A name-only byline ("Anish Kumar") is recognised only next to a dateline, so that a short
  subheading is not mistaken for an author; "By ..." and "Name, <known outlet>" are recognised alone.
- An agency opening ("LONDON (Reuters) - ...") gives the place and, when nothing else names the
  outlet, the source; the paragraph stays as it is.
- YAML-style front matter (``---`` fenced, keys title/author(s)/byline/date/published(_at)/source/
  outlet/publisher/url/link/place/location) wins over what the header lines say. An unparseable
  front-matter date fails the article: it is an explicit date that would otherwise be lost.
- No title line (the file opens with a long or hard-wrapped paragraph, or with a byline): the title
  is the text's first line, shortened.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from ingest.models import ReadFailure, ReadItem
from ingest.normalise.authors import parse_authors
from ingest.normalise.datelines import agency_dateline, parse_dateline
from ingest.normalise.dates import DateParseError, parse_date
from ingest.normalise.outlets import known_outlet
from ingest.normalise.text import NotText, clean_text, decode_bytes
from ingest.readers.drafts import build_draft, guarded
from ingest.readers.protocol import ReadRequest

__all__ = ["ParsedText", "parse_plaintext", "read_plaintext"]


@dataclass
class ParsedText:
    """A plain-text article taken apart; ``error`` is set when it cannot be an article."""

    title: str | None = None
    text: str = ""
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    place: str | None = None
    source: str | None = None
    url: str | None = None
    error: str | None = None


_TITLE_MAX = 200
_HEADER_LINES = 10
_HEADER_OTHER_LINES = 2
_BYLINE_MAX = 120
_NAME_LINE_MAX = 60
_FRONT_MATTER_FENCE = re.compile(r"^(?:---|\+\+\+)\s*$")
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.|\+\+\+)\s*$")
_KEY_VALUE = re.compile(r"^([A-Za-z_][\w-]*)\s*[:=]\s*(.*)$")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^(?:=+|-+)$")
_BY = re.compile(r"^(?:(?:written|words|story|text|reporting)\s+)?by\b\s*:?\s*\S", re.IGNORECASE)
_PART_SPLIT = re.compile(r"\s+[|•·]\s+|\s*\|\s*")
_OUTLET_SPLIT = re.compile(r"\s*(?:,|\||\s[-–—]\s)\s*")
_PARTICLES = {
    "de",
    "van",
    "von",
    "der",
    "den",
    "da",
    "del",
    "della",
    "di",
    "du",
    "dos",
    "das",
    "bin",
    "bint",
    "al",
    "el",
    "la",
    "le",
    "y",
    "ibn",
    "and",
    "&",
}
_NAME_WORD = re.compile(r"^[A-Z][\w'’.\-]*,?$")

_FRONT_KEYS = {
    "title": "title",
    "headline": "title",
    "author": "authors",
    "authors": "authors",
    "byline": "authors",
    "by": "authors",
    "date": "date",
    "published": "date",
    "published_at": "date",
    "publish_date": "date",
    "pubdate": "date",
    "date_published": "date",
    "source": "source",
    "outlet": "source",
    "publisher": "source",
    "site_name": "source",
    "url": "url",
    "link": "url",
    "canonical_url": "url",
    "canonical": "url",
    "place": "place",
    "location": "place",
    "dateline": "place",
}


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _front_matter(lines: list[str]) -> tuple[dict[str, str | list[str]], list[str]]:
    """Split off ``---``-fenced ``key: value`` front matter; YAML lists (inline or block) are kept as lists."""
    if not lines or not _FRONT_MATTER_FENCE.match(lines[0].strip()):
        return {}, lines
    end = next((i for i in range(1, len(lines)) if _FRONT_MATTER_END.match(lines[i].strip())), None)
    if end is None:
        return {}, lines
    values: dict[str, str | list[str]] = {}
    key: str | None = None
    for raw in lines[1:end]:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("- ") and key is not None:
            current = values.get(key)
            items = current if isinstance(current, list) else []
            items.append(_unquote(line[2:]))
            values[key] = items
            continue
        match = _KEY_VALUE.match(line)
        if not match:
            continue
        key = match.group(1).lower()
        value = match.group(2).strip()
        if value.startswith("[") and value.endswith("]"):
            values[key] = [_unquote(v) for v in value[1:-1].split(",") if v.strip()]
        elif value:
            values[key] = _unquote(value)
    return values, lines[end + 1 :]


def _is_name_line(line: str) -> bool:
    if len(line) > _NAME_LINE_MAX or any(ch.isdigit() for ch in line) or line[-1:] in ".!?:;\"'”":
        return False
    words = line.split()
    names = [w for w in words if w.lower() not in _PARTICLES]
    if not 2 <= len(names) <= 10:
        return False
    return all(_NAME_WORD.match(w) for w in names)


@dataclass
class _Header:
    kind: str  # "dateline", "byline", "name" or "other"
    authors: list[str] = field(default_factory=list)
    source: str | None = None
    published_at: datetime | None = None
    place: str | None = None
    updated: bool = False


def _byline(part: str) -> _Header | None:
    """A byline part: "By ...", or "Name, <known outlet>" / "Name | <known outlet>"."""
    if len(part) > _BYLINE_MAX:
        return None
    if _BY.match(part):
        authors = parse_authors(part)
        pieces = _OUTLET_SPLIT.split(part)
        source = known_outlet(pieces[-1]) if len(pieces) > 1 else None
        return _Header("byline", authors=authors, source=source) if authors else None
    pieces = _OUTLET_SPLIT.split(part)
    if len(pieces) >= 2 and known_outlet(pieces[-1]) and _is_name_line(" ".join(pieces[:-1])):
        return _Header("byline", authors=parse_authors(", ".join(pieces[:-1])), source=known_outlet(pieces[-1]))
    return None


def _merge_parts(parts: list[str]) -> _Header | None:
    """A header line of several parts ("By Jane Doe | March 3, 2024"), each a byline or a dateline."""
    merged = _Header("byline")
    for part in parts:
        piece = _classify(part)
        if piece.kind not in ("byline", "dateline"):
            return None
        merged.authors += piece.authors
        merged.source = merged.source or piece.source
        if piece.published_at and (merged.published_at is None or (merged.updated and not piece.updated)):
            merged.published_at, merged.updated = piece.published_at, piece.updated
        merged.place = merged.place or piece.place
    return merged


def _classify(line: str) -> _Header:
    dateline = parse_dateline(line)
    if dateline:
        return _Header("dateline", published_at=dateline.published_at, place=dateline.place, updated=dateline.updated)
    parts = _PART_SPLIT.split(line)
    if len(parts) > 1 and len(line) <= _BYLINE_MAX:
        merged = _merge_parts(parts)
        if merged:
            return merged
    byline = _byline(line)
    if byline:
        return byline
    if _is_name_line(line):
        return _Header("name", authors=parse_authors(line))
    return _Header("other")


def _title_line(lines: list[str]) -> tuple[str | None, int]:
    """The title and the index of the first line after it (``None`` and 0 when there is no title line)."""
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None:
        return None, 0
    line = lines[first]
    heading = _MD_HEADING.match(line)
    if heading:
        return heading.group(1), first + 1
    nxt = lines[first + 1] if first + 1 < len(lines) else ""
    if nxt and _SETEXT.match(nxt):
        return line, first + 2
    if len(line) > _TITLE_MAX or _classify(line).kind in ("dateline", "byline"):
        return None, first
    if nxt and _classify(nxt).kind == "other" and not _is_name_line(nxt):
        # A hard-wrapped opening paragraph, not a headline.
        return None, first
    return line, first + 1


def _scan_header(lines: list[str], start: int) -> tuple[list[tuple[int, _Header]], int]:
    """Classify the lines after the title; return the header lines taken and where the scan stopped."""
    seen: list[tuple[int, _Header]] = []
    others = 0
    i = start
    while i < len(lines) and len(seen) < _HEADER_LINES:
        if lines[i]:
            header = _classify(lines[i])
            seen.append((i, header))
            # Names do not count: "standfirst, kicker, name, dateline" is still a header.
            if header.kind == "other":
                others += 1
                if others > _HEADER_OTHER_LINES:
                    break
        i += 1
    taken = []
    for n, (index, header) in enumerate(seen):
        if header.kind in ("dateline", "byline"):
            taken.append((index, header))
        elif header.kind == "name":
            neighbours = [seen[m][1].kind for m in (n - 1, n + 1) if 0 <= m < len(seen)]
            if "dateline" in neighbours:
                taken.append((index, header))
    return taken, i


def parse_plaintext(raw: str) -> ParsedText:
    """Take a plain-text or Markdown article apart: title, byline, dateline, place and body text."""
    text = clean_text(raw)
    if not text:
        return ParsedText(error="empty file")
    lines = [line.strip() for line in text.split("\n")]
    front, lines = _front_matter(lines)
    parsed = ParsedText()

    front_title = front.get("title")
    title, body_start = _title_line(lines)
    if isinstance(front_title, str) and front_title.strip():
        if title is None or title.casefold() != front_title.strip().casefold():
            body_start = next((i for i, line in enumerate(lines) if line), 0) if title is not None else body_start
        title = front_title.strip()
    parsed.title = title

    taken, _ = _scan_header(lines, body_start)
    removed = {index for index, _ in taken}
    date_is_update = False
    for _, header in taken:
        if header.authors and not parsed.authors:
            parsed.authors = header.authors
        # The first publication date wins over an "Updated ..." one, whichever line comes first.
        if header.published_at and (parsed.published_at is None or (date_is_update and not header.updated)):
            parsed.published_at, date_is_update = header.published_at, header.updated
        parsed.place = parsed.place or header.place
        parsed.source = parsed.source or header.source

    body_lines = ["" if i in removed else line for i, line in enumerate(lines[body_start:], start=body_start)]
    parsed.text = clean_text("\n".join(body_lines))
    if not parsed.text:
        parsed.error = "only a title, no article text" if title else "no article text found"
        return parsed

    first_paragraph = parsed.text.split("\n\n", 1)[0]
    wire = agency_dateline(first_paragraph)
    if wire:
        parsed.place = parsed.place or wire.place
        if wire.agency:
            parsed.source = parsed.source or known_outlet(wire.agency) or wire.agency

    _apply_front_matter(parsed, front)
    return parsed


def _apply_front_matter(parsed: ParsedText, front: dict[str, str | list[str]]) -> None:
    fields: dict[str, str | list[str]] = {}
    for key, value in front.items():
        name = _FRONT_KEYS.get(key)
        if name and name not in fields and value:
            fields[name] = value
    if "authors" in fields:
        parsed.authors = parse_authors(fields["authors"])
    for name in ("source", "url", "place"):
        given = fields.get(name)
        if given:
            setattr(parsed, name, given if isinstance(given, str) else ", ".join(given))
    date_value = fields.get("date")
    if isinstance(date_value, list):
        date_value = date_value[0]
    if date_value:
        try:
            parsed.published_at = parse_date(date_value)
        except DateParseError:
            parsed.error = f"unparseable date {date_value!r}"


@guarded
def read_plaintext(request: ReadRequest) -> Iterator[ReadItem]:
    """Read one plain-text or Markdown article; yields exactly one draft or one failure."""
    data, origin = request.data, request.origin
    if isinstance(data, bytes):
        try:
            raw = decode_bytes(data, request.charset)
        except NotText as exc:
            yield ReadFailure(origin=origin, reason=str(exc))
            return
    else:
        raw = data
    parsed = parse_plaintext(raw)
    if parsed.error:
        yield ReadFailure(origin=origin, reason=parsed.error)
        return
    yield build_draft(
        origin,
        settings=request.settings,
        title=parsed.title,
        text=parsed.text,
        source=parsed.source,
        authors=parsed.authors,
        published_at=parsed.published_at,
        url=parsed.url or request.url,
        place=parsed.place,
    )
