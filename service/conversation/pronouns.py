"""Pronouns in a follow-up: which kind of thing each stands for, and which stand for nothing
("is it true that ...", "are there ...")."""

from __future__ import annotations

from collections.abc import Sequence

from service.conversation.question_parts import Token, next_is_nominal

_PERSON = frozenset("he him his she her hers himself herself".split())
_THING = frozenset("it its itself".split())
_GROUP = frozenset("they them their theirs themselves".split())
POSSESSIVE = frozenset("his her its their".split())
EVENT = frozenset("that this".split())
DEMONSTRATIVE = frozenset("that this these those".split())


def pronoun_kind(tokens: list[Token], i: int) -> str | None:
    """What the pronoun at ``i`` stands for (person, thing, group, place); None for no pronoun,
    an expletive "it" or an existential "there"."""
    word = tokens[i].text.lower()
    if word in _PERSON:
        return "person"
    if word in _THING:
        return None if _is_expletive_it(tokens, i) else "thing"
    if word in _GROUP:
        return "group"
    if word == "there":
        return None if _is_existential_there(tokens, i) else "place"
    return None


def refers_back(tokens: list[Token], i: int) -> bool:
    """A personal pronoun (not an expletive "it") with no noun of its number before it in the
    question ("which second lady announced she's expecting?" refers within), or "one" after a
    determiner or adjective ("the last one")."""
    if tokens[i].text.lower() == "one":
        return i > 0 and tokens[i - 1].tag in ("DT", "JJ", "JJS", "NN", "NNP")
    kind = pronoun_kind(tokens, i)
    if kind not in ("person", "thing", "group"):
        return False
    wanted = ("NNS", "NNPS") if kind == "group" else ("NN", "NNP")
    return not any(t.tag in wanted for t in tokens[:i])


def is_pronoun_at(tokens: list[Token], i: int) -> bool:
    """ "that"/"this" standing alone ("why did that happen?"), not before a noun ("that deal")."""
    return not next_is_nominal(tokens, i) and tokens[i].tag in ("DT", "WDT", "PRP")


def overlaps(referent: str, taken: Sequence[str]) -> bool:
    """Whether ``referent`` names what another pronoun already stands for ("Unilever" in "the Unilever deal")."""
    lowered = referent.lower()
    return any(lowered in other.lower() or other.lower() in lowered for other in taken)


def _is_existential_there(tokens: list[Token], i: int) -> bool:
    """ "is there", "are there any", "there is": no place meant."""
    before = tokens[i - 1].text.lower() if i else ""
    after = tokens[i + 1].text.lower() if i + 1 < len(tokens) else ""
    return (
        tokens[i].tag == "EX"
        or before in ("is", "are", "was", "were", "be", "been")
        or after in ("is", "are", "was", "were", "has", "have", "had", "will")
    )


def _is_expletive_it(tokens: list[Token], i: int) -> bool:
    """ "is it true that ...", "it is said": ``it`` that stands for nothing."""
    window = " ".join(t.text.lower() for t in tokens[i : i + 3])
    return window.startswith(("it true", "it possible", "it likely", "it is said", "it was said"))
