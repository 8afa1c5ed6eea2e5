"""The answer rules' word lists and gazetteers, kept as data: one ``NAME.txt`` file per list.

Each file holds one entry (a word or a phrase) a line; lines starting with ``#`` (the header that
says what the list is for) and blank lines are skipped. A list is read once per process.

The stop lists build on one another rather than repeat: ``function_words`` (the small words a
name's initials skip), plus ``question_fillers`` and ``auxiliary_verbs`` for reading a question,
plus ``slot_fillers`` (narrower, on purpose) around its wh-phrase. spaCy's ``STOP_WORDS``
(``service/conversation/casing.py``) answers another question, whether a capitalised word may
start a name, and is broad (300-odd words, "first" and "name" among them) for it.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["entries", "word_set"]


@cache
def entries(name: str) -> tuple[str, ...]:
    """The entries of the list ``name`` (``name.txt`` in this package), in file order."""
    text = resources.files(__package__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


@cache
def word_set(name: str) -> frozenset[str]:
    """The entries of the list ``name`` as a set, for membership tests."""
    return frozenset(entries(name))
