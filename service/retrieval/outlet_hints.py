"""Outlet names in a question ("according to Reuters", "from the BBC") narrow the outlets."""

from __future__ import annotations

import re
from collections.abc import Iterable

_CUES = r"(?:according to|from|by|in|per|reported by|reports? (?:by|from|in))"


def read_outlet_hint(question: str, known_outlets: Iterable[str]) -> list[str]:
    """Stored outlets the question names after a cue word, longest names first."""
    found: list[str] = []
    lowered = question.lower()
    for outlet in sorted(set(known_outlets), key=len, reverse=True):
        name = outlet.strip()
        if len(name) < 2:
            continue
        bare = re.sub(r"^the\s+", "", name, flags=re.I)
        name_pattern = re.escape(bare.lower())
        pattern = rf"\b{_CUES}\s+(?:the\s+)?{name_pattern}\b|\b{name_pattern}\s+(?:reported|reports|says|said)\b"
        if re.search(pattern, lowered) and not any(bare.lower() in f.lower() for f in found):
            found.append(outlet)
    return found
