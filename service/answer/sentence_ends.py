"""How an evidence sentence ends: as a statement, as a question, or not at all (a headline, a byline).

Closing quotes and brackets are read past: '... he said."' ends with a full stop.
"""

from __future__ import annotations

__all__ = ["asks", "ends_sentence"]

_CLOSERS = "\"'\u201d\u2019)]\u00bb"


def _last_mark(text: str) -> str:
    return text.rstrip().rstrip(_CLOSERS)[-1:]


def ends_sentence(text: str) -> bool:
    """Does the sentence end like one (a headline or a byline does not)?"""
    return _last_mark(text) in {".", "!", "?", "\u2026"}


def asks(text: str) -> bool:
    """Is the sentence a question? An explainer's subheading ("Who voted against the Epstein files?") or a
    rhetorical question reads like the question asked, and states nothing that answers it."""
    return _last_mark(text) == "?"
