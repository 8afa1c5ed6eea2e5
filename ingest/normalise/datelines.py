"""Datelines: the lines that say where and when a story was filed.

Two shapes are recognised:

- A header line that is a date, optionally with a place and a label:
  "Almaty, First Published Jan 11, 2022, 12:18 AM IST", "Published: 2024-03-01 10:00 UTC",
  "Updated Jan 2, 2023", "March 3, 2024", "Published March 1, 2024 | Updated March 2, 2024".
  The whole line must be accounted for, so body sentences that merely mention a date never match.
  When a line gives both a published and an updated date, the published one wins.
- An agency dateline opening the first paragraph: "LONDON (Reuters) - ...", "KYIV, Ukraine (AP) — ...",
  "Washington (CNN) — ...", "NEW YORK, March 3 (Reuters) - ...", "PARIS — ...".
  Only the place and agency are taken; the paragraph itself stays in the text unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ingest.normalise.dates import DateParseError, parse_date

__all__ = ["AgencyDateline", "Dateline", "agency_dateline", "parse_dateline"]


@dataclass(frozen=True)
class Dateline:
    """What a header dateline says: the date (and the place, when it names one)."""

    published_at: datetime
    place: str | None = None
    updated: bool = False


@dataclass(frozen=True)
class AgencyDateline:
    """Place and agency from the start of a wire story's first paragraph."""

    place: str
    agency: str | None = None


_MAX_LINE = 120
_LABEL = re.compile(
    r"^(?:(?:first|last|originally)\s+)?(published|updated|posted|modified|dated|date)\b", re.IGNORECASE
)
_PLACE_THEN_REST = re.compile(r"^(?P<place>[^\W\d_][^,\d|:]{0,40}?),\s*(?P<rest>.+)$")
_PART_SPLIT = re.compile(r"\s+[|•·]\s+|\s*\|\s*")
_NOT_PLACES = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "published",
    "updated",
    "posted",
    "first published",
    "last updated",
}

_AGENCY = re.compile(
    r"^(?P<place>[A-Z][\w'’.\-]*(?:[ ,]+[A-Z][\w'’.\-]*){0,4}?)"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"\s*\((?P<agency>[A-Za-z][\w&.\- ]{0,30})\)\s*[-–—]{1,2}\s*\S"
)
_CAPS_PLACE = re.compile(r"^(?P<place>[A-Z][A-Z'’.\-]+(?:[ ,]+[A-Z][A-Za-z'’.\-]+){0,3})\s*[-–—]{1,2}\s+\S")


def _parse_part(part: str) -> Dateline | None:
    part = part.strip()
    if not part or not any(ch.isdigit() for ch in part):
        return None
    updated = bool((m := _LABEL.match(part)) and m.group(1).lower() in {"updated", "modified"})
    try:
        when = parse_date(part)
    except DateParseError:
        when = None
    if when is not None:
        return Dateline(published_at=when, updated=updated)
    match = _PLACE_THEN_REST.match(part)
    if not match or match.group("place").strip().casefold() in _NOT_PLACES:
        return None
    rest = match.group("rest")
    updated = bool((m := _LABEL.match(rest)) and m.group(1).lower() in {"updated", "modified"})
    try:
        when = parse_date(rest)
    except DateParseError:
        return None
    if when is None:
        return None
    return Dateline(published_at=when, place=match.group("place").strip(), updated=updated)


def parse_dateline(line: str) -> Dateline | None:
    """The date (and place) a header line states, or ``None`` if the line is not a dateline."""
    line = " ".join(line.split())
    if not line or len(line) > _MAX_LINE:
        return None
    found = [_parse_part(part) for part in _PART_SPLIT.split(line)]
    if not found or any(d is None for d in found):
        return None
    dates = [d for d in found if d is not None]
    chosen = next((d for d in dates if not d.updated), dates[0])
    place = next((d.place for d in dates if d.place), None)
    return Dateline(published_at=chosen.published_at, place=place, updated=chosen.updated)


def _place_name(raw: str) -> str:
    # "NEW YORK" -> "New York", "KYIV, Ukraine" -> "Kyiv, Ukraine"; mixed-case words stay as written.
    words = []
    for word in raw.strip(" ,").split(" "):
        letters = [ch for ch in word if ch.isalpha()]
        words.append(word.title() if letters and all(ch.isupper() for ch in letters) and len(letters) > 1 else word)
    return " ".join(words)


def agency_dateline(paragraph: str) -> AgencyDateline | None:
    """Place and agency of a wire-style opening ("LONDON (Reuters) - ..."), or ``None``."""
    head = paragraph[:160]
    match = _AGENCY.match(head)
    if match:
        return AgencyDateline(place=_place_name(match.group("place")), agency=match.group("agency").strip())
    match = _CAPS_PLACE.match(head)
    if match:
        return AgencyDateline(place=_place_name(match.group("place")))
    return None
