"""What kind of answer a question wants: its wh-word, head noun and the entity labels that fit.

``classify("Which drug cartel ...?")`` gives ``wh="which"``, ``head="cartel"`` and the labels
(spaCy's OntoNotes names) an answer may carry, each with a prior: ``{"ORG": 1.0, ...}``.
Questions whose answer is no entity ("why", "how did", "which of the following ...") get
no labels, or weak generic ones, and the extractive answerer then gives no short answer
rather than a wrong one.

The head noun is read from the question's part-of-speech tags when a spaCy pipeline is
given (the run of nouns and adjectives after the wh-word); without one, from a small
stop list. Only the last sentence that asks something counts: news quizzes often open
with a sentence of context ("X was shot this week. Where did the shooting occur?").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from types import MappingProxyType
from typing import Any

__all__ = ["QuestionType", "classify", "labels_for_head"]

NAME_LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE")

_WHO = {"PERSON": 1.0, "ORG": 0.9, "NORP": 0.6, "GPE": 0.5}
_WHERE = {"GPE": 1.0, "LOC": 1.0, "FAC": 0.9, "ORG": 0.3}
_WHEN = {"DATE": 1.0, "TIME": 0.8, "EVENT": 0.2}
_HOW_MANY = {"CARDINAL": 1.0, "QUANTITY": 0.8, "MONEY": 0.6, "PERCENT": 0.5}
_HOW_MANY_TIME = {"DATE": 1.0, "TIME": 0.9, "CARDINAL": 0.7, "QUANTITY": 0.5}
_HOW_MUCH = {"MONEY": 1.0, "QUANTITY": 0.9, "PERCENT": 0.7, "CARDINAL": 0.5}
# "UNTIL": an "until ..." clause (service/answer/durations.py), an answer to "how long will they stay?".
_HOW_LONG = {"DATE": 1.0, "TIME": 0.9, "UNTIL": 0.9, "QUANTITY": 0.8, "CARDINAL": 0.4}
_HOW_OLD = {"DATE": 1.0, "CARDINAL": 0.8}
_HOW_MEASURE = {"QUANTITY": 1.0, "CARDINAL": 0.5, "MONEY": 0.3}
# "what" with a head noun we do not know: any name, numbers hardly.
_GENERIC = {**{label: 0.6 for label in NAME_LABELS}, "PERSON": 0.7, "ORG": 0.7, "GPE": 0.7}

_TIME_UNITS = frozenset(
    "year years month months week weeks day days hour hours minute minutes decade decades century centuries".split()
)
_MEASURE_UNITS = frozenset(
    """pounds pound tons ton tonnes tonne kilograms kilos kg grams ounces miles mile kilometers kilometres km
    meters metres feet foot inches acres hectares gallons gallon liters litres barrels degrees watts
    megawatts gigawatts calories square""".split()
)
_HOW_MANY_MEASURE = {"QUANTITY": 1.0, "CARDINAL": 0.8, "MONEY": 0.3}
_MEASURE_WORDS = frozenset("far big tall high deep large heavy fast wide long".split())

# Head noun (singular, lower case) -> labels and priors. Several heads are ambiguous in
# spaCy's eyes (a drug may be tagged ORG or PRODUCT), so they name more than one label.
_ORG = {"ORG": 1.0, "PRODUCT": 0.3, "PERSON": 0.2}
_PERSON = {"PERSON": 1.0, "ORG": 0.2, "NORP": 0.2}
_GPE = {"GPE": 1.0, "LOC": 0.6}
_LOC = {"LOC": 1.0, "GPE": 0.8, "FAC": 0.4}
_FAC = {"FAC": 1.0, "ORG": 0.6, "GPE": 0.3, "LOC": 0.3}
_EVENT = {"EVENT": 1.0, "WORK_OF_ART": 0.5, "ORG": 0.4, "FAC": 0.2}
_WORK = {"WORK_OF_ART": 1.0, "PRODUCT": 0.4, "ORG": 0.3, "PERSON": 0.3, "EVENT": 0.2}
_PRODUCT = {"PRODUCT": 1.0, "ORG": 0.7, "WORK_OF_ART": 0.3, "PERSON": 0.2}
_STORM = {"PERSON": 1.0, "EVENT": 0.9, "ORG": 0.4, "GPE": 0.2, "PRODUCT": 0.3}
_HOLIDAY = {"DATE": 1.0, "EVENT": 1.0, "ORG": 0.4, "PERSON": 0.4}
_MONEY = {"MONEY": 1.0, "CARDINAL": 0.3}
_HOW_MUCH_MONEY = {"MONEY": 1.0, "CARDINAL": 0.1}
_MONEY_VERBS = frozenset(
    """cost costs costing pay pays paid spend spends spent charge charged fine fined raise raised
    worth price priced sell sold earn earned""".split()
)
_LAW = {"LAW": 1.0, "ORG": 0.3, "EVENT": 0.3}
_DATE = {"DATE": 1.0, "TIME": 0.5}


def _heads(labels: Mapping[str, float], words: str) -> dict[str, Mapping[str, float]]:
    return {w: labels for w in words.split()}


HEAD_LABELS: dict[str, Mapping[str, float]] = {
    **_heads(
        _GPE,
        "country nation state city town province capital county territory village republic kingdom "
        "municipality borough neighborhood neighbourhood suburb emirate commonwealth metropolis homeland",
    ),
    **_heads(
        _LOC,
        "region continent mountain river lake sea ocean island peninsula volcano desert gulf bay valley "
        "coast border strait canal forest park glacier area location place destination hemisphere archipelago",
    ),
    **_heads(
        _FAC,
        "airport bridge building stadium arena museum prison jail tower monument landmark palace castle "
        "station highway road street port harbor harbour embassy hotel venue cathedral church mosque temple "
        "dam tunnel facility plant mall campus ballpark racetrack zoo",
    ),
    **_heads(
        _ORG,
        "company firm corporation business brand chain retailer network broadcaster channel newspaper "
        "magazine outlet publication paper agency department ministry organization organisation group party "
        "team club league union university college school bank airline automaker carmaker manufacturer "
        "maker startup giant platform court committee alliance bloc cartel gang militia faction coalition "
        "charity foundation institute exchange studio label restaurant store supermarket pharmacy publisher "
        "developer insurer regulator lab laboratory council body parliament legislature administration "
        "army navy military force franchise conglomerate retailer lender broker automaker firm nonprofit "
        "association federation conference division operator provider carrier streamer service website "
        "site app company",
    ),
    **_heads(
        _PERSON,
        "person man woman leader president minister official politician senator lawmaker governor "
        "mayor ceo executive founder cofounder singer actor actress artist rapper musician player athlete "
        "star author writer director judge coach figure celebrity billionaire candidate suspect activist pope "
        "king queen prince princess monarch journalist reporter host anchor scientist astronaut member "
        "chancellor dictator general commander spokesperson spokesman spokeswoman envoy ambassador secretary "
        "justice chairman chairwoman chair owner designer chef comedian producer composer rival challenger "
        "successor predecessor nominee pilot victim survivor whistleblower hacker gunman attacker shooter "
        "driver quarterback pitcher golfer boxer swimmer skater cyclist runner legend icon influencer "
        "entrepreneur investor economist professor doctor physician lawyer attorney prosecutor detective "
        "officer soldier veteran priest cardinal archbishop bishop rabbi imam emperor premier speaker "
        "representative congressman congresswoman mogul tycoon inventor philanthropist novelist poet "
        "painter sculptor filmmaker dancer youtuber podcaster commentator "
        "hostage prisoner defendant plaintiff heir child son daughter wife husband",
    ),
    "people": _PERSON,
    **_heads(
        _EVENT,
        "event festival tournament championship war battle summit election games olympics show "
        "ceremony game race marathon cup series match contest competition pageant conflict revolution "
        "protest strike attack disaster crisis scandal meeting convention parade exhibition fair expo",
    ),
    **_heads(_STORM, "hurricane typhoon cyclone storm"),
    **_heads(_HOLIDAY, "holiday celebration observance feast"),
    **_heads(
        _WORK,
        "movie film book novel album song play musical painting documentary title single sitcom memoir "
        "opera artwork sculpture poem episode podcast franchise",
    ),
    **_heads(
        _PRODUCT,
        "product drug medicine medication vaccine device phone smartphone car vehicle rocket "
        "megarocket spacecraft spaceship satellite aircraft plane jet missile weapon software chatbot "
        "cryptocurrency coin toy gadget model console computer laptop tablet robot drone truck suv "
        "treatment pill supplement beverage drink snack",
    ),
    **_heads(_LAW, "law act bill treaty amendment proposition measure policy order ruling regulation accord agreement"),
    **_heads(_DATE, "year month day date decade century season era"),
    "language": {"LANGUAGE": 1.0, "NORP": 0.5},
    "nationality": {"NORP": 1.0, "GPE": 0.5},
    "religion": {"NORP": 1.0, "ORG": 0.3},
    "ethnicity": {"NORP": 1.0},
    "time": {"TIME": 1.0, "DATE": 0.6},
    "age": _HOW_OLD,
    "percentage": {"PERCENT": 1.0, "CARDINAL": 0.3},
    "percent": {"PERCENT": 1.0, "CARDINAL": 0.3},
    "rate": {"PERCENT": 1.0, "MONEY": 0.4, "CARDINAL": 0.3},
    "share": {"PERCENT": 1.0, "CARDINAL": 0.4},
    "number": {"CARDINAL": 1.0, "QUANTITY": 0.6, "MONEY": 0.3},
    "total": {"CARDINAL": 1.0, "MONEY": 0.8, "QUANTITY": 0.6},
    "population": {"CARDINAL": 1.0, "QUANTITY": 0.5},
    "temperature": {"QUANTITY": 1.0, "CARDINAL": 0.4},
    "distance": _HOW_MEASURE,
    "height": _HOW_MEASURE,
    "weight": _HOW_MEASURE,
    "size": {"QUANTITY": 1.0, "CARDINAL": 0.5},
    "magnitude": {"CARDINAL": 1.0, "QUANTITY": 0.8},
    "score": {"CARDINAL": 1.0},
    "price": _MONEY,
    "cost": _MONEY,
    "value": _MONEY,
    "amount": {"MONEY": 1.0, "CARDINAL": 0.5, "QUANTITY": 0.5},
    "salary": _MONEY,
    "fee": _MONEY,
    "fine": _MONEY,
    "budget": _MONEY,
    "worth": _MONEY,
    "sum": _MONEY,
    "revenue": _MONEY,
    "valuation": _MONEY,
    "bail": _MONEY,
    "settlement": _MONEY,
    "wage": _MONEY,
    "tariff": {"PERCENT": 1.0, "MONEY": 0.5},
}
# "Which type of disaster", "what is the name of the storm": the noun after "of" is the head.
_LIGHT_HEADS = frozenset("type kind sort form name one ones member members part piece brand version variety".split())


def _phrases(text: str) -> frozenset[str]:
    return frozenset(p.strip().lower() for p in text.split(",") if p.strip())


# Closed classes spaCy has no label for: answers are found by matching these words.
CLOSED_CLASSES: dict[str, frozenset[str]] = {
    "color": frozenset(
        "red orange yellow green blue purple violet pink brown black white gray grey gold silver "
        "indigo turquoise beige maroon navy teal magenta crimson scarlet".split()
    ),
    "weekday": frozenset("monday tuesday wednesday thursday friday saturday sunday".split()),
    # "Which type of natural disaster": the answer is a common noun, not a name. Longer
    # phrases are matched first ("total lunar eclipse" before "eclipse"); plurals too.
    "disaster": _phrases(
        "typhoon, hurricane, cyclone, tropical storm, earthquake, tsunami, flood, flash flood, flooding, wildfire, "
        "tornado, landslide, mudslide, volcanic eruption, eruption, drought, heat wave, heatwave, blizzard, "
        "avalanche, monsoon, winter storm, snowstorm, storm"
    ),
    "weather": _phrases(
        "winter storm, snowstorm, blizzard, ice storm, heat wave, heatwave, cold snap, polar vortex, arctic blast, "
        "hurricane, typhoon, tornado, thunderstorm, flooding, flood, flash flood, atmospheric river, bomb cyclone, "
        "lake-effect snow, freezing rain, hailstorm, dust storm, storm, drought, wildfire"
    ),
    "sky": _phrases(
        "total lunar eclipse, lunar eclipse, total solar eclipse, solar eclipse, annular eclipse, partial eclipse, "
        "eclipse, blood moon, supermoon, super moon, harvest moon, blue moon, meteor shower, northern lights, "
        "southern lights, aurora borealis, aurora, comet, planetary alignment, planet parade, solar storm, "
        "geomagnetic storm, fireball, meteor"
    ),
    "animal": _phrases(
        "chimpanzee, gorilla, orangutan, bonobo, monkey, elephant, lion, tiger, leopard, cheetah, jaguar, bear, "
        "polar bear, panda, giant panda, wolf, fox, deer, moose, bison, whale, dolphin, porpoise, vaquita, seal, "
        "sea lion, manatee, otter, shark, turtle, sea turtle, tortoise, crocodile, alligator, snake, python, "
        "frog, bee, butterfly, bird, eagle, bald eagle, owl, penguin, parrot, flamingo, turkey, horse, cow, pig, "
        "sheep, goat, dog, cat, rat, mouse, bat, koala, kangaroo, rhino, rhinoceros, hippo, giraffe, zebra, "
        "octopus, squid, coral, jellyfish, salmon, mosquito, tick, beaver, raccoon, squirrel, coyote"
    ),
    "disease": _phrases(
        "flu, influenza, bird flu, avian flu, covid-19, covid, coronavirus, measles, mumps, listeria, salmonella, "
        "e. coli, mpox, monkeypox, h5n1, norovirus, rsv, whooping cough, tuberculosis, ebola, dengue, cholera, "
        "polio, malaria, botulism, hepatitis, chikungunya, west nile virus, marburg, anthrax, rabies, "
        "legionnaires' disease, pneumonia, meningitis, scarlet fever, strep"
    ),
    "coin": _phrases("penny, nickel, dime, quarter, half-dollar, half dollar"),
}
# Head nouns (or the words before them: "celestial event") that ask for a closed class.
_CLOSED_HEADS = {
    "color": "color",
    "colour": "color",
    "weekday": "weekday",
    "disaster": "disaster",
    "catastrophe": "disaster",
    "weather": "weather",
    "celestial": "sky",
    "astronomical": "sky",
    "phenomenon": "sky",
    "animal": "animal",
    "species": "animal",
    "mammal": "animal",
    "creature": "animal",
    "wildlife": "animal",
    "disease": "disease",
    "virus": "disease",
    "illness": "disease",
    "bacteria": "disease",
    "bacterium": "disease",
    "infection": "disease",
    "outbreak": "disease",
    "pathogen": "disease",
    "coin": "coin",
}

_QUESTION_PIPES = frozenset({"tok2vec", "tagger", "attribute_ruler"})
_COPULA = frozenset("is are was were".split())
_WH_WORDS = frozenset("which what who whom whose where when how why".split())
_AUX = frozenset(
    "is are was were be been being am do does did has have had will would can could should may might must shall".split()
)
_STOP = (
    frozenset(
        """a an the of in on at to for from by with about as into over after before during than and or but
    this that these those it its their his her our your my there here following recently currently
    reportedly allegedly now newly still also just last next first second this""".split()
    )
    | _AUX
)
_WORD = re.compile(r"[\w'’$%.-]+|[?!.,;:]")


@dataclass(frozen=True)
class QuestionType:
    """What a question asks for.

    ``wh``: "who", "where", "when", "how many", "how much", "how long", "how old", "how measure",
    "which", "what", "why", "how" or "" (no wh-word). ``labels`` maps entity labels to priors
    (empty: the answer is no entity). ``closed_class`` names a word list to match instead
    ("color"). ``entities``: names the pipeline recognised in the question (none when, as in
    the answerer, only the tagger runs on it; the question's words are checked directly).
    """

    wh: str
    head: str | None = None
    labels: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    closed_class: str | None = None
    entities: tuple[str, ...] = ()
    terms: frozenset[str] = frozenset()

    def prior(self, label: str) -> float:
        """How well an entity of ``label`` fits the question (0: not at all)."""
        return float(self.labels.get(label, 0.0))

    @property
    def wants_entity(self) -> bool:
        """Does any entity (or closed-class word) fit as a short answer?"""
        return bool(self.labels) or self.closed_class is not None


def _singular(word: str) -> str:
    if word in HEAD_LABELS or word in _CLOSED_HEADS:
        return word
    if word == "people":
        return word
    for suffix, repl in (("ies", "y"), ("ses", "s"), ("ches", "ch"), ("shes", "sh"), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            cand = word[: -len(suffix)] + repl
            if cand in HEAD_LABELS or cand in _CLOSED_HEADS:
                return cand
    return word


def labels_for_head(head: str) -> Mapping[str, float]:
    """Entity labels (with priors) that fit the head noun ``head``; empty if unknown."""
    return HEAD_LABELS.get(_singular(head.lower()), {})


def _tokens(question: str, nlp: Any | None) -> tuple[list[tuple[str, str]], tuple[str, ...]]:
    """(word, fine-grained tag) pairs and the named entities of the question."""
    if nlp is not None:
        # The tagger alone: the question's own names are found by matching words, not by NER.
        doc = nlp(question, disable=[p for p in nlp.pipe_names if p not in _QUESTION_PIPES])
        return [(t.text, t.tag_) for t in doc], tuple(e.text for e in doc.ents)
    return [(w, "") for w in _WORD.findall(question)], ()


def _asking_span(tokens: list[tuple[str, str]]) -> tuple[int, int]:
    """Token range of the last sentence holding a wh-word (the one that asks)."""
    bounds = [0]
    for i, (w, _) in enumerate(tokens[:-1]):
        if w in {".", "?", "!"}:
            bounds.append(i + 1)
    bounds.append(len(tokens))
    for a, b in reversed(list(pairwise(bounds))):
        if any(w.lower() in _WH_WORDS for w, _ in tokens[a:b]):
            return a, b
    return 0, len(tokens)


def _is_nominal(word: str, tag: str) -> bool:
    if tag:
        return tag.startswith(("NN", "JJ", "CD", "HYPH", "VBN")) and word.lower() not in _STOP
    return word.isalpha() and word.lower() not in _STOP and not word.lower().endswith("ed")


def _head_after(tokens: list[tuple[str, str]], i: int) -> tuple[str | None, list[str]]:
    """The noun run starting at token ``i`` and its head (last noun), following "type of X"."""
    run: list[str] = []
    j = i
    while j < len(tokens) and _is_nominal(*tokens[j]):
        run.append(tokens[j][0].lower())
        j += 1
    nouns = [w for w, (_, tag) in zip(run, tokens[i:j], strict=False) if not tag or tag.startswith("NN")]
    nouns = [n for n in nouns if n.isalpha() or "-" in n]
    if not nouns:
        return None, run
    head = nouns[-1]
    if _singular(head) in _LIGHT_HEADS and j + 1 < len(tokens) and tokens[j][0].lower() == "of":
        k = j + 1
        while k < len(tokens) and tokens[k][0].lower() in {"the", "a", "an", "this", "these", "that"}:
            k += 1
        inner, inner_run = _head_after(tokens, k)
        if inner and (_head_labels(inner_run, inner) or not labels_for_head(head)):
            return inner, inner_run
    return head, nouns


def _known_noun_ahead(tokens: list[tuple[str, str]], i: int, window: int = 6) -> str | None:
    """A known head noun a few words on ("which over-the-counter medication"), before any verb."""
    for word, tag in tokens[i : i + window]:
        if tag.startswith("VB") or word.lower() in _AUX:
            return None
        if (not tag or tag.startswith("NN")) and labels_for_head(word):
            return word.lower()
    return None


# Heads that say little ("which celestial event"): a closed-class word before them decides.
_VAGUE_HEADS = frozenset("event phenomenon spectacle display occurrence condition thing".split())


def _closed_in_run(tokens: list[tuple[str, str]], i: int, window: int = 6) -> str | None:
    """A closed-class word among the first words after the wh-word, before any verb or adverb
    ("which celestial event", "which type of severe weather event")."""
    for word, tag in tokens[i : i + window]:
        w = word.lower()
        if w in {"most", "least", "more", "less"}:
            continue
        if tag.startswith(("VB", "RB", "MD")) or w in _AUX or w in {"?", ",", "."}:
            return None
        closed = _CLOSED_HEADS.get(_singular(w))
        if closed:
            return closed
    return None


def _head_labels(nouns: list[str], head: str) -> Mapping[str, float]:
    """Labels of the head, else of the nearest earlier noun in the run that we know."""
    for noun in [head, *reversed(nouns)]:
        labels = labels_for_head(noun)
        if labels:
            return labels
    return {}


def classify(question: str, nlp: Any | None = None) -> QuestionType:
    """Read what ``question`` asks for; ``nlp`` (a spaCy pipeline with a tagger) sharpens it."""
    tokens, entities = _tokens(question, nlp)
    terms = frozenset(w.lower() for w, _ in tokens if w.isalnum() and w.lower() not in _STOP)
    a, b = _asking_span(tokens)
    span = tokens[a:b]
    words = [w.lower() for w, _ in span]
    wh_at = next((i for i, w in enumerate(words) if w in _WH_WORDS), None)
    base = {"entities": entities, "terms": terms}
    if wh_at is None:
        return QuestionType(wh="", labels=MappingProxyType(dict(_GENERIC)), **base)
    wh = words[wh_at]
    nxt = words[wh_at + 1] if wh_at + 1 < len(words) else ""

    def typed(kind: str, labels: Mapping[str, float], head: str | None = None) -> QuestionType:
        return QuestionType(wh=kind, head=head, labels=MappingProxyType(dict(labels)), **base)

    if wh in {"who", "whom", "whose"}:
        return typed("who", _WHO)
    if wh == "where":
        return typed("where", _WHERE)
    if wh == "when":
        return typed("when", _WHEN)
    if wh == "why":
        return typed("why", {})
    if wh == "how":
        if nxt == "many":
            k = wh_at + 2
            if k < len(words) and words[k] == "of":
                k += 1
                while k < len(words) and words[k] in {"the", "a", "an", "these", "those", "its", "their"}:
                    k += 1
            unit, _ = _head_after(span, k)
            unit = unit or (words[wh_at + 2] if wh_at + 2 < len(words) else "")
            if unit in {"of", "more", "people", "person"}:
                unit = "" if unit in {"of", "more"} else unit
            if unit in _TIME_UNITS:
                return typed("how many", _HOW_MANY_TIME, unit)
            if unit in _MEASURE_UNITS:
                return typed("how many", _HOW_MANY_MEASURE, unit)
            return typed("how many", _HOW_MANY, unit or None)
        if nxt == "much":
            # "How much will the line cost?": the verb says it wants money, not any number.
            if _MONEY_VERBS.intersection(words):
                return typed("how much", _HOW_MUCH_MONEY)
            return typed("how much", _HOW_MUCH)
        if nxt == "long":
            return typed("how long", _HOW_LONG)
        if nxt == "old":
            return typed("how old", _HOW_OLD)
        if nxt in _MEASURE_WORDS:
            return typed("how measure", _HOW_MEASURE, nxt)
        return typed("how", {})

    # which / what: find the head noun of "which X", "what X", "which of the following X",
    # or "what is the X (of Y)".
    i = wh_at + 1
    following = words[i : i + 3] == ["of", "the", "following"]
    if following:
        i += 3
    while i < len(words) and (
        words[i] in {"two", "three", "four", "one"} or (span[i][1] == "CD" and words[i].isalpha())
    ):
        i += 1
    if not following and i < len(words) and words[i] in _COPULA:
        # "what is the name of ...": the subject after the verb is the head.
        i += 1
        while i < len(words) and words[i] in {"the", "a", "an", "this", "that", "these", "those"}:
            i += 1
    head, nouns = _head_after(span, i)
    if head is None:
        head = _known_noun_ahead(span, i)
        nouns = [head] if head else []
    if head is None:
        closed = _closed_in_run(span, i)
        if closed:
            return QuestionType(wh=wh, head=None, closed_class=closed, **base)
        return typed(wh, _GENERIC if wh == "which" else {**_GENERIC, **{k: 0.3 for k in ("CARDINAL", "MONEY", "DATE")}})
    closed = _CLOSED_HEADS.get(_singular(head))
    if not closed and (_singular(head) in _VAGUE_HEADS or not labels_for_head(head)):
        closed = _closed_in_run(span, wh_at + 1)
    if closed:
        return QuestionType(wh=wh, head=head, closed_class=closed, **base)
    labels = _head_labels(nouns, head)
    if not labels:
        return typed(wh, _GENERIC, head)
    return typed(wh, labels, _singular(head))
