"""Restoring the capitals a typed question left out, from the text the conversation cited.

People type questions in lower case ("where did jane goodall study chimps?"), and the recogniser
reads names by their capitals: lower-cased, "jane goodall" is no person. The passages an earlier
turn cited write the same names properly, so a word takes the form those passages use, when they
capitalise it more often than not (sentence starts aside, where everything is capitalised).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache

# Words without a possessive "'s", so "kimmel's" takes the form of "Kimmel".
_WORD = re.compile(r"[^\W_](?:[\w&.-]*[^\W_])?")
_SENTENCE_END = re.compile(r"[.!?][\"'’”)]*\s+$")


def written_forms(texts: Iterable[str]) -> dict[str, str]:
    """Lower-case word → its capitalised form, for words the texts capitalise more often than not."""
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        words = list(_WORD.finditer(text))
        for i, match in enumerate(words):
            word = match.group()
            before = text[: match.start()]
            if (not before.strip() or _SENTENCE_END.search(before)) and not _starts_a_name(word, words[i + 1 : i + 2]):
                continue  # a sentence's first word is capitalised whatever it is
            forms[word.lower()][word] += 1
    found: dict[str, str] = {}
    for key, counts in forms.items():
        form, count = counts.most_common(1)[0]
        if form[:1].isupper() and count > counts.get(key, 0):
            found[key] = form
    return found


def _starts_a_name(word: str, following: list[re.Match[str]]) -> bool:
    """A sentence's first word that begins a name ("Jane Goodall said"): capitalised, no stop word."""
    return bool(following) and following[0].group()[:1].isupper() and word.lower() not in _stop_words()


@cache
def _stop_words() -> frozenset[str]:
    # Imported on first use: importing spaCy costs seconds (it pulls in thinc and torch), which every command
    # importing this module (``newsdesk ingest`` among them) would otherwise pay without ever recasing.
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def recase(text: str, forms: dict[str, str]) -> str:
    """``text`` with each all-lower-case word written as ``forms`` has it (other words untouched)."""
    if not forms:
        return text

    def written(match: re.Match[str]) -> str:
        word = match.group()
        return forms.get(word, word) if word.islower() and len(word) > 1 else word

    return _WORD.sub(written, text)
