"""Outlet names in a question ("according to Reuters", "from the BBC") narrow the outlets.

A stored outlet is found under any of its known spellings (``ingest.normalise.outlets``): "according
to the Associated Press" names the archive's "AP".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from ingest.normalise.outlets import spellings_of

_CUES = r"(?:according to|from|by|in|per|reported by|reports? (?:by|from|in))"


def read_outlet_hint(question: str, known_outlets: Iterable[str]) -> list[str]:
    """Stored outlets the question names after a cue word, longest names first."""
    by_spelling: dict[str, list[str]] = defaultdict(list)
    for outlet in sorted(set(known_outlets)):
        for spelling in spellings_of(outlet.strip()):
            by_spelling[spelling].append(outlet)
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
