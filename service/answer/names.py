"""How a name is written and how its variants share one key.

``normalise`` gives the key that variants of one name share: case, a leading "the", a
possessive, a parenthetical ("... Organization (CSTO)"), dotted initials ("U.S.") and hedges
on numbers ("about 8,000") make no difference. ``surface`` is a mention as it may be shown;
``acronym`` the initials a long name may be abbreviated to.
"""

from __future__ import annotations

import re
import unicodedata

from service.answer.wordlists import entries, word_set

__all__ = ["acronym", "clean", "looks_like_acronym", "normalise", "surface", "tokens", "without_brackets"]

_HEDGE = re.compile(r"^(?:" + "|".join(re.escape(h) for h in entries("hedges")) + r")\s+")
_TOKEN = re.compile(r"[\w$%£€]+(?:[.,'&+-][\w$%]+)*\.?")
_BRACKETS = re.compile(r"\s*[(\[][^)\]]*[)\]]")


def clean(text: str) -> str:
    """``text`` in Unicode's compatible form, straight apostrophes and single spaces."""
    t = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(t.split())


def without_brackets(text: str) -> str:
    """``text`` without its parentheticals ("Organization (CSTO)" -> "Organization")."""
    return _BRACKETS.sub("", text)


def surface(text: str) -> str:
    """A mention as it may be shown: no leading "the", no quotes or punctuation around it."""
    t = clean(text).strip(' "\u201c\u201d,;:-')
    t = re.sub(r"^(?:the|The|THE)\s+", "", t)
    return t.strip()


def tokens(text: str) -> list[str]:
    """The words and figures of ``text``, lower case: dots and apostrophes out of words, commas out of figures."""
    out = []
    for tok in _TOKEN.findall(clean(text).lower()):
        if any(ch.isalpha() for ch in tok):
            tok = tok.replace(".", "").replace("'", "")
        else:
            tok = tok.rstrip(".").replace(",", "")
        if tok:
            out.append(tok)
    return out


def normalise(text: str) -> str:
    """The key variants of one name share: lower case, no "the", possessive, brackets or hedges."""
    t = without_brackets(clean(text).lower())
    t = re.sub(r"'s\b", "", t)
    t = _HEDGE.sub("", t)
    words = tokens(t)
    while words and words[0] in {"the", "a", "an"}:
        words = words[1:]
    return " ".join(words)


def acronym(text: str) -> str:
    """Initials of the capitalised words of ``text`` ("Collective Security Treaty Organization" -> "csto")."""
    function_words = word_set("function_words")
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", without_brackets(text)) if w.lower() not in function_words]
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words).lower()


def looks_like_acronym(text: str) -> bool:
    """Is the mention written as an acronym ("CSTO", "U.S.")?"""
    t = surface(text).replace(".", "")
    return 2 <= len(t) <= 6 and t.isalpha() and t.isupper()
