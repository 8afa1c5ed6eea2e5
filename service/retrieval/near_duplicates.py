"""Near-identical texts (syndicated copies of one story): word 5-gram shingles and their Jaccard overlap.

Retrieval collapses copies among an answer's passages with these; topic alerts use them so that a
story republished by another outlet alerts once.
"""

from __future__ import annotations

import re

_WORDS = re.compile(r"\w+")

Shingles = set[tuple[str, ...]]


def shingles(text: str, n: int = 5) -> Shingles:
    """The text's lower-cased word ``n``-grams."""
    words = _WORDS.findall(text.lower())
    return {tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1))}


def jaccard(a: Shingles, b: Shingles) -> float:
    """Shared shingles over all shingles: 1.0 for the same text, 0.0 for nothing in common."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
