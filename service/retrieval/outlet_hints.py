"""Outlet names, in a question ("according to Reuters", "from the BBC") or a filter, as the archive stores them.

A stored outlet is found under any of its known spellings (``ingest.normalise.outlets``): "according
to the Associated Press" names the archive's "AP", and so does the filter ``sources=["associated
press"]``; a filter's "cnn" means the stored "CNN". A filter name that means no stored outlet is
reported with the stored names closest to it, so a typing slip is not an empty archive.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import get_close_matches

from ingest.normalise.outlets import spellings_of

_CUES = r"(?:according to|from|by|in|per|reported by|reports? (?:by|from|in))"


@dataclass
class OutletFilter:
    """A filter's outlet names read against the archive: the stored outlets they mean, and the names
    that mean none (each with the stored names closest to it)."""

    stored: list[str] = field(default_factory=list)
    unknown: dict[str, list[str]] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        """The outlet names to filter on. A name that means no stored outlet stays in: it matches
        nothing, so the filter never widens to the whole archive."""
        return self.stored + list(self.unknown)


def _by_spelling(known_outlets: Iterable[str]) -> dict[str, list[str]]:
    """Each lower-case spelling of a stored outlet -> the stored outlets written that way."""
    by_spelling: dict[str, list[str]] = defaultdict(list)
    for outlet in sorted(set(known_outlets)):
        for spelling in spellings_of(outlet.strip()):
            by_spelling[spelling].append(outlet)
    return by_spelling


def read_outlet_filter(names: Iterable[str], known_outlets: Iterable[str]) -> OutletFilter:
    """The stored outlets ``names`` mean, whatever their case or spelling."""
    known = sorted(set(known_outlets))
    by_spelling = _by_spelling(known)
    lowered = {o.lower(): o for o in known}
    read = OutletFilter()
    for name in names:
        outlets = sorted({o for spelling in spellings_of(name) for o in by_spelling.get(spelling, ())})
        if outlets:
            read.stored.extend(o for o in outlets if o not in read.stored)
        else:
            asked = name.lower()
            close = [lowered[c] for c in get_close_matches(asked, list(lowered), n=3, cutoff=0.5)]
            containing = [o for low, o in lowered.items() if low in asked or asked in low]
            read.unknown[name] = list(dict.fromkeys(close + containing))[:3]
    return read


def unknown_outlet_notes(unknown: Mapping[str, Sequence[str]]) -> list[str]:
    """A note for each filter name meaning no stored outlet, with the stored names closest to it."""
    notes = []
    for name, close in unknown.items():
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        notes.append(f"the archive holds no outlet named {name!r}{hint}")
    return notes


def read_outlet_hint(question: str, known_outlets: Iterable[str]) -> list[str]:
    """Stored outlets the question names after a cue word, longest names first."""
    by_spelling = _by_spelling(known_outlets)
    found: list[str] = []
    named: list[str] = []  # the names found, so that "Times" is not read inside "New York Times"
    lowered = question.lower()
    for spelling in sorted(by_spelling, key=lambda s: (-len(s), s)):
        if len(spelling) < 2:
            continue
        bare = re.sub(r"^the\s+", "", spelling)
        name_pattern = re.escape(bare)
        pattern = rf"\b{_CUES}\s+(?:the\s+)?{name_pattern}\b|\b{name_pattern}\s+(?:reported|reports|says|said)\b"
        if re.search(pattern, lowered) and not any(bare in f for f in named):
            found.extend(o for o in by_spelling[spelling] if o not in found)
            named.append(bare)
    return found
