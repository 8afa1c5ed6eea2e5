"""Bylines to a clean list of author names.

Handles "By Anish Kumar and Jane Doe", "A, B & C", "A, B, and C", "Jane Doe | CNN",
"Jane Doe, Reuters", "jane@example.com (Jane Doe)", "Jane Doe <jane@example.com>",
"BY JANE DOE", "Jane Doe in Kyiv", lists of strings, and JSON-LD style ``{"name": ...}`` objects.

Decisions:

- Order is kept and duplicates (case-insensitive) are dropped, first spelling wins.
- Outlet and agency names ("Reuters", "CNN") and bare job titles ("Staff Writer") are not people:
  they are dropped. Team bylines such as "The Week Staff" are kept, since that is the byline.
- Scrapers often give ``["Jane Doe John Roe", "Jane Doe", "John Roe"]``; an entry that is only
  other entries run together is dropped.
- Names written all in capitals are title-cased ("JANE DOE" -> "Jane Doe"); other casing is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ingest.normalise.outlets import known_outlet

__all__ = ["parse_authors"]

_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_EMAIL_THEN_NAME = re.compile(rf"^\s*{_EMAIL}\s*\(([^()]+)\)\s*$")
_NAME_THEN_EMAIL = re.compile(rf"^\s*([^<>]+?)\s*<\s*{_EMAIL}\s*>\s*$")
_EMAIL_ANYWHERE = re.compile(rf"[(<\[]?\s*(?:mailto:)?{_EMAIL}\s*[)>\]]?")
_URL = re.compile(r"https?://\S+")
_BY_PREFIX = re.compile(r"^\s*(?:(?:written|words|story|text|reporting|report)\s+)?by\s*[:\-]?\s+", re.IGNORECASE)
# Anything after these marks is a role or an outlet, not part of the name.
_ROLE_SEPARATORS = re.compile(r"\s+[|•·–—]\s+|\s+-\s+|\s*\|\s*")
# Phrases that introduce more names; they become plain separators before splitting.
_MORE_NAMES = re.compile(
    r"[;,]?\s*\b(?:with\s+)?(?:additional\s+)?(?:reporting|contributions?)\s+(?:by|from)\b\s*", re.IGNORECASE
)
_SPLIT = re.compile(r"\s*(?:;|,?\s+and\s+|,?\s*&\s*|,?\s+with\s+|\s+und\s+|\s+et\s+|,)\s*", re.IGNORECASE)
_TRAILING_PLACE = re.compile(r"^(\S+(?:\s+\S+)+?)\s+in\s+[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+)?$")
_ROLE_WORDS = {
    "staff",
    "writer",
    "writers",
    "reporter",
    "reporters",
    "editor",
    "editors",
    "correspondent",
    "correspondents",
    "contributor",
    "contributors",
    "columnist",
    "senior",
    "chief",
    "political",
    "business",
    "sports",
    "science",
    "health",
    "technology",
    "tech",
    "news",
    "desk",
    "deputy",
    "managing",
    "associate",
    "contributing",
    "special",
    "foreign",
    "international",
    "national",
    "investigative",
    "digital",
    "producer",
    "photographer",
    "analyst",
    "author",
    "and",
    "the",
    "team",
    "agencies",
    "agency",
    "wires",
    "wire",
    "staffer",
    "freelance",
    "journalist",
}
_JUNK = {
    "social links navigation",
    "social links",
    "navigation",
    "admin",
    "administrator",
    "unknown",
    "anonymous",
    "none",
    "null",
}
_MAX_NAME_CHARS = 80
_MAX_NAME_WORDS = 8


def _name_of(item: object) -> str | None:
    """The name inside a list element: a string, or a dict such as JSON-LD's Person."""
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        for key in ("name", "@name", "fullname", "full_name", "title"):
            value = item.get(key)
            if isinstance(value, str):
                return value
    return None


def _tidy(name: str) -> str | None:
    name = _URL.sub(" ", name)
    name = _EMAIL_ANYWHERE.sub(" ", name)
    name = " ".join(name.split()).strip(" ,;:.-–—|()[]\"'")
    name = _BY_PREFIX.sub("", name + " ").strip()
    if not name or not re.search(r"[^\W\d_]", name):
        return None
    place = _TRAILING_PLACE.match(name)
    if place:
        name = place.group(1)
    if name.casefold() in _JUNK or known_outlet(name):
        return None
    words = name.split()
    if all(w.casefold().strip(".,") in _ROLE_WORDS for w in words):
        return None
    if len(name) > _MAX_NAME_CHARS or len(words) > _MAX_NAME_WORDS:
        return None
    if name.isupper() and len(name) > 3:
        name = name.title()
    return name


def _split_byline(byline: str) -> list[str]:
    byline = byline.strip()
    match = _EMAIL_THEN_NAME.match(byline) or _NAME_THEN_EMAIL.match(byline)
    if match:
        byline = match.group(1)
    byline = _BY_PREFIX.sub("", byline)
    # "Jane Doe | CNN", "Jane Doe - Staff Writer": keep what comes before the mark.
    byline = _ROLE_SEPARATORS.split(byline, maxsplit=1)[0]
    byline = _MORE_NAMES.sub(", ", byline)
    names = []
    for part in _SPLIT.split(byline):
        name = _tidy(part)
        if name:
            names.append(name)
    return names


def _drop_run_together(names: list[str]) -> list[str]:
    """Drop entries that are just two or more other entries joined by spaces."""
    if len(names) < 3:
        return names
    keep = []
    for i, name in enumerate(names):
        others = [n for j, n in enumerate(names) if j != i and len(n) < len(name)]
        if _is_concatenation(name, others):
            continue
        keep.append(name)
    return keep


def _is_concatenation(name: str, parts: list[str]) -> bool:
    # Greedy search is enough: names rarely share prefixes at the same position.
    rest = name
    used = 0
    while rest:
        for part in sorted(parts, key=len, reverse=True):
            if rest == part or rest.startswith(part + " "):
                rest = rest[len(part) :].lstrip()
                used += 1
                break
        else:
            return False
    return used >= 2


def parse_authors(value: str | Iterable[object] | dict[str, object] | None) -> list[str]:
    """Author names from a byline string, a list of names, or name objects; ``[]`` when there are none."""
    if value is None:
        return []
    items: Iterable[object]
    if isinstance(value, str | dict):
        items = [value]
    else:
        items = value
    names: list[str] = []
    for item in items:
        text = _name_of(item)
        if text:
            names.extend(_split_byline(text))
    names = _drop_run_together(names)
    seen: set[str] = set()
    out = []
    for name in names:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out
