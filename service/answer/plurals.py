"""Singular forms of English plurals, for matching words: "countries" is "country", "storms" "storm".

One rule set serves every caller. Without a list of known words, the first rule that applies
gives the singular ("winter storms" -> "winter storm"); with one, the first singular the list
holds (or the word itself) wins, so that "businesses" finds "business" and an unknown word is
left alone.
"""

from __future__ import annotations

from collections.abc import Container

__all__ = ["PLAIN_S", "is_plural_of", "singular", "singulars"]

Endings = tuple[tuple[str, str], ...]
# Endings and what they become, most specific first: "-ses" may be "-se" ("eclipses") or "-s"
# ("businesses"), so it comes after the plain "-s" rule and only a known word takes it.
_RULES: Endings = (("ies", "y"), ("ches", "ch"), ("shes", "sh"), ("oes", "o"), ("s", ""), ("ses", "s"))
# Only the plain "-s" ending: what the check whether a question names a candidate was tuned with.
# (The full rules would read "Oxford Dictionaries" as named by "Oxford Dictionary's" and change
# a development-set answer; a change of answers is a change of its own, not of this refactoring.)
PLAIN_S: Endings = (("s", ""),)


def singulars(word: str, endings: Endings = _RULES) -> list[str]:
    """The singular forms ``word`` may have, most likely first (none for "boss" or "bus")."""
    if word.endswith("ss"):
        return []
    return [word[: -len(end)] + repl for end, repl in endings if word.endswith(end) and len(word) > len(end) + 2]


def singular(word: str, known: Container[str] | None = None, endings: Endings = _RULES) -> str:
    """The singular of ``word``: the first rule's, or (given ``known``) the first one ``known`` holds.
    ``endings``: the plural endings to undo (all English ones by default)."""
    if known is None:
        return next(iter(singulars(word, endings)), word)
    if word in known:
        return word
    return next((form for form in singulars(word, endings) if form in known), word)


def is_plural_of(word: str, noun: str) -> bool:
    """Is ``word`` a plural of ``noun`` ("countries" of "country")?"""
    return word != noun and noun in singulars(word)
