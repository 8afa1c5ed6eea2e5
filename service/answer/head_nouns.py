"""What a question's head noun asks for: "which cartel" wants an organisation, "which color" a colour.

``labels_for_head`` maps a head noun to the entity labels (spaCy's OntoNotes names) an answer
may carry, each with a prior. Several heads are ambiguous in spaCy's eyes (a drug may be tagged
ORG or PRODUCT), so they name more than one label. Closed classes are kinds of answer spaCy has
no label for ("which color", "which disease"): they are found by matching their words. The
nouns and the words of each class are data (``wordlists/heads_*.txt``, ``wordlists/closed_*.txt``).
"""

from __future__ import annotations

from collections.abc import Mapping

from service.answer.plurals import singular
from service.answer.wordlists import entries, word_set

__all__ = [
    "CLOSED_CLASSES",
    "CLOSED_HEADS",
    "HEAD_LABELS",
    "HOW_MEASURE",
    "HOW_OLD",
    "asks_for_a_person",
    "head_singular",
    "labels_for_head",
]

HOW_OLD = {"DATE": 1.0, "CARDINAL": 0.8}
HOW_MEASURE = {"QUANTITY": 1.0, "CARDINAL": 0.5, "MONEY": 0.3}

_ORG = {"ORG": 1.0, "PRODUCT": 0.3, "PERSON": 0.2}
_PERSON = {"PERSON": 1.0, "ORG": 0.2, "NORP": 0.2}
_MONEY = {"MONEY": 1.0, "CARDINAL": 0.3}
# Each list of head nouns and the labels its answers carry.
_HEAD_LISTS: dict[str, Mapping[str, float]] = {
    "heads_place": {"GPE": 1.0, "LOC": 0.6},
    "heads_location": {"LOC": 1.0, "GPE": 0.8, "FAC": 0.4},
    "heads_facility": {"FAC": 1.0, "ORG": 0.6, "GPE": 0.3, "LOC": 0.3},
    "heads_organisation": _ORG,
    "heads_person": _PERSON,
    "heads_event": {"EVENT": 1.0, "WORK_OF_ART": 0.5, "ORG": 0.4, "FAC": 0.2},
    "heads_storm": {"PERSON": 1.0, "EVENT": 0.9, "ORG": 0.4, "GPE": 0.2, "PRODUCT": 0.3},
    "heads_holiday": {"DATE": 1.0, "EVENT": 1.0, "ORG": 0.4, "PERSON": 0.4},
    "heads_work": {"WORK_OF_ART": 1.0, "PRODUCT": 0.4, "ORG": 0.3, "PERSON": 0.3, "EVENT": 0.2},
    "heads_product": {"PRODUCT": 1.0, "ORG": 0.7, "WORK_OF_ART": 0.3, "PERSON": 0.2},
    "heads_law": {"LAW": 1.0, "ORG": 0.3, "EVENT": 0.3},
    "heads_date": {"DATE": 1.0, "TIME": 0.5},
}
# Heads of their own, mostly asking for a figure.
_SINGLE_HEADS: dict[str, Mapping[str, float]] = {
    "people": _PERSON,
    "language": {"LANGUAGE": 1.0, "NORP": 0.5},
    "nationality": {"NORP": 1.0, "GPE": 0.5},
    "religion": {"NORP": 1.0, "ORG": 0.3},
    "ethnicity": {"NORP": 1.0},
    "time": {"TIME": 1.0, "DATE": 0.6},
    "age": HOW_OLD,
    "percentage": {"PERCENT": 1.0, "CARDINAL": 0.3},
    "percent": {"PERCENT": 1.0, "CARDINAL": 0.3},
    "rate": {"PERCENT": 1.0, "MONEY": 0.4, "CARDINAL": 0.3},
    "share": {"PERCENT": 1.0, "CARDINAL": 0.4},
    "range": {"PERCENT": 1.0, "MONEY": 0.6, "QUANTITY": 0.6, "CARDINAL": 0.5},
    "number": {"CARDINAL": 1.0, "QUANTITY": 0.6, "MONEY": 0.3},
    "total": {"CARDINAL": 1.0, "MONEY": 0.8, "QUANTITY": 0.6},
    "population": {"CARDINAL": 1.0, "QUANTITY": 0.5},
    "temperature": {"QUANTITY": 1.0, "CARDINAL": 0.4},
    "distance": HOW_MEASURE,
    "height": HOW_MEASURE,
    "weight": HOW_MEASURE,
    "size": {"QUANTITY": 1.0, "CARDINAL": 0.5},
    "magnitude": {"CARDINAL": 1.0, "QUANTITY": 0.8},
    "score": {"CARDINAL": 1.0},
    **dict.fromkeys(
        "price cost value salary fee fine budget worth sum revenue valuation bail settlement wage".split(), _MONEY
    ),
    "amount": {"MONEY": 1.0, "CARDINAL": 0.5, "QUANTITY": 0.5},
    "tariff": {"PERCENT": 1.0, "MONEY": 0.5},
}
# Head noun (singular, lower case) -> labels and priors; a noun in two lists takes the later one's.
HEAD_LABELS: dict[str, Mapping[str, float]] = {
    **{noun: labels for name, labels in _HEAD_LISTS.items() for noun in entries(name)},
    **_SINGLE_HEADS,
}

# Closed classes spaCy has no label for: answers are found by matching these words. Longer
# phrases are matched first ("total lunar eclipse" before "eclipse"); plurals too.
CLOSED_CLASSES: dict[str, frozenset[str]] = {
    "color": word_set("closed_colors"),
    "weekday": word_set("weekdays"),
    "disaster": word_set("closed_disasters"),
    "weather": word_set("closed_weather"),
    "sky": word_set("closed_sky"),
    "animal": word_set("closed_animals"),
    "disease": word_set("closed_diseases"),
    "coin": word_set("closed_coins"),
}
# Head nouns (or the words before them: "celestial event") that ask for a closed class.
CLOSED_HEADS = {
    "color": "color",
    "colour": "color",
    "weekday": "weekday",
    **dict.fromkeys(("disaster", "catastrophe"), "disaster"),
    "weather": "weather",
    **dict.fromkeys(("celestial", "astronomical", "phenomenon"), "sky"),
    **dict.fromkeys(("animal", "species", "mammal", "creature", "wildlife"), "animal"),
    **dict.fromkeys(
        ("disease", "virus", "illness", "bacteria", "bacterium", "infection", "outbreak", "pathogen"), "disease"
    ),
    "coin": "coin",
}
_KNOWN_HEADS = frozenset(HEAD_LABELS) | frozenset(CLOSED_HEADS)


def is_light_head(noun: str) -> bool:
    """A noun that says little by itself, singular or plural ("type", "names", "members"): the noun
    after its "of" says what is meant ("which type of disaster", "the names of the turkeys")."""
    light = word_set("light_heads")
    return singular(noun.lower(), light) in light


def head_singular(word: str) -> str:
    """The singular of a head noun when it is one we know ("countries" -> "country"), else the word."""
    return singular(word, _KNOWN_HEADS)


def labels_for_head(head: str) -> Mapping[str, float]:
    """Entity labels (with priors) that fit the head noun ``head``; empty if unknown."""
    return HEAD_LABELS.get(head_singular(head.lower()), {})


def asks_for_a_person(head: str) -> bool:
    """Whether the head noun ``head`` names people by role ("mayor", "suspect", "librarian")."""
    labels = labels_for_head(head)
    return bool(labels) and max(labels, key=lambda label: labels[label]) == "PERSON"
