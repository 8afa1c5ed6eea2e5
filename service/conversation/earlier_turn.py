"""The earlier turns as a follow-up sees them: what each asked, what it answered and what kind of
thing that was, its statement ("Collective Security Treaty Organization sent peacekeepers"), and
the names and noun phrases a pronoun may stand for."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from service.answer.head_nouns import asks_for_a_person
from service.answer.question_types import classify
from service.answer.wordlists import word_set
from service.conversation.casing import recase
from service.conversation.models import Turn
from service.conversation.question_parts import (
    AND_X,
    NOT_NAMED,
    NOUN_TAGS,
    NP_TAGS,
    PREPOSITIONS,
    WH,
    WHAT_ABOUT,
    Token,
    TokensOf,
    counted,
    entities,
    noun_phrases,
    once,
    wh_phrase_end,
    whole,
    without_preposition,
)
from service.conversation.resolution import without_context
from service.retrieval.time_hints import YEAR

_AUX = word_set("auxiliary_verbs")
_DO = frozenset("do does did".split())
_BE = frozenset("is are was were".split())
_POSSESSIVE_END = re.compile(r"['’]s?$")
_POSSESSIVE_START = re.compile(r"['’]s?(?!\w)")
_CONTRACTED = re.compile(r"^'(s|re)\b", re.IGNORECASE)
_EXPANDED = {"s": "is", "re": "are"}
_ECHO = " — "
_THE_X_ONE = re.compile(r"the\s+(?P<x>.+?)\s+ones?", re.IGNORECASE)
# Labels of names a pronoun "it" does not stand for.
_NOT_THINGS = frozenset("PERSON NORP DATE TIME CARDINAL MONEY QUANTITY PERCENT ORDINAL".split())
# The recogniser's labels, as the kinds of things a pronoun can stand for.
_KIND_OF_LABEL = {
    "PERSON": "person",
    "ORG": "group",
    "NORP": "group",
    "GPE": "place",
    "LOC": "landmark",
    "FAC": "landmark",
    "DATE": "date",
    "TIME": "date",
    "CARDINAL": "number",
    "MONEY": "number",
    "QUANTITY": "number",
    "PERCENT": "number",
    "ORDINAL": "number",
}


@dataclass(frozen=True)
class EarlierTurns:
    """The last few turns, most recent first: what a follow-up may refer to."""

    turns: list[EarlierTurn]

    def referents(self, kind: str) -> list[str]:
        """What a pronoun of ``kind`` may stand for, most likely first.

        The last turn's own candidates come first. A person or place may come from a turn
        before; so may a group named by a plural noun ("the inmates"), ahead of the last
        turn's answer of another kind (a town is not "they").
        """
        last = self.turns[0]
        earlier = self.turns[1:]
        if kind in ("person", "place"):
            return [r for turn in self.turns for r in turn.referents(kind)]
        if kind == "group":
            strong = [r for turn in earlier for r in turn.group_referents(strong=True)]
            return [*last.group_referents(strong=True), *strong, *last.group_referents(strong=False)]
        # "it" after a turn that named no thing ("how many pieces did they take?") is the thing
        # a turn before spoke of ("the louvre"); any name of the last turn comes only after that.
        things = [r for turn in self.turns for r in turn.referents(kind)]
        return things + [text for turn in self.turns for text, _, _, _ in turn.names]

    def echo(self, fragment: str) -> str:
        """The last turn's statement, then the fragment."""
        return self.turns[0].echo(fragment)

    def swapped(self, replacement: str, tokens_of: TokensOf) -> str:
        """The last question about ``replacement`` instead."""
        return self.turns[0].swapped(replacement, tokens_of)


@dataclass(frozen=True)
class EarlierTurn:
    """What an earlier turn offers a follow-up to refer to."""

    question: str
    answer: str | None
    answer_kind: str
    statement: str
    noun_phrases: tuple[tuple[str, bool], ...]  # (text without determiner, plural), outside the wh-phrase
    names: tuple[tuple[str, str, int, int], ...]  # (text, label, start, end) of entities in the question
    counted: str | None = None  # what a "how many" question counts ("inmates"): what "they" are next
    swapped_in: tuple[int, int] | None = None  # where a "what about X?" turn put its X in ``question``
    asked_about: str | None = None  # the X of a "what about X?" turn: what "that one" is next
    typed: str = ""  # the question as the person typed it, lowercased: which names were theirs

    @classmethod
    def read(cls, turn: Turn, tokens_of: TokensOf, forms: dict[str, str], answers: Sequence[str] = ()) -> EarlierTurn:
        """The turn as a follow-up sees it; ``answers`` are the conversation's short answers, names the
        recogniser may split when a later question repeats them."""
        question = recase(without_context(turn.standalone_question).strip(), forms)
        answer = turn.short_answer if turn.answered and turn.short_answer else None
        tokens: list[Token] = tokens_of(question)
        wh_end = wh_phrase_end(tokens)
        # An answer may come with its possessive ("Jane Doe's"); the name is what a later question repeats.
        repeated = [w for a in answers if (w := _POSSESSIVE_END.sub("", a)).lower() in question.lower()]
        # A name that owns what was asked ("which Ben & Jerry's co-founder") is a referent too, after the names
        # the rest of the question gives; one that only sorts it ("which NASCAR driver") is not.
        # Only inside the wh-phrase: an echo question's statement ("Kohl's fired its CEO — who?") comes before it.
        wh_at = next((i for i, t in enumerate(tokens[:wh_end]) if t.text.lower() in WH), wh_end)
        asked_end = tokens[wh_end - 1].end if wh_end else 0
        owners = [
            e
            for e in entities(question, tokens, start=wh_at + 1)
            if e[3] <= asked_end and _POSSESSIVE_START.match(question, e[3])
        ]
        names = tuple(
            once([(whole(t, repeated), lab, a, b) for t, lab, a, b in [*entities(question, tokens), *owners]])
        )
        phrases = tuple(once([(whole(t, repeated), plural) for t, plural in noun_phrases(question, tokens, wh_end)]))
        kind = _answer_kind(question, answer, [c.quote for c in turn.citations], tokens_of)
        about = _asked_about(turn)
        return cls(
            question=question,
            answer=answer,
            answer_kind=kind,
            statement=_statement(question, tokens, wh_end, answer),
            noun_phrases=phrases,
            names=names,
            counted=counted(question, tokens, wh_end),
            swapped_in=_swapped_in(about, question),
            asked_about=recase(about, forms) if about else None,
            typed=turn.question.lower(),
        )

    def referents(self, kind: str) -> list[str]:
        """What a pronoun of ``kind`` (person, thing, place) may stand for, most likely first ("they":
        ``group_referents``, which the context ranks across turns)."""
        answer, answer_kind = self.answer, self.answer_kind
        if kind == "person":
            person = [answer] if answer and answer_kind == "person" else []
            # "how old was the suspect?", then "what's his name?": he is the suspect, not a
            # person an earlier turn named.
            roles = [f"the {text}" for text, plural in self.noun_phrases if not plural and _names_a_person(text)]
            return person + [text for text, label, _, _ in self.names if label == "PERSON"] + roles
        if kind == "place":
            place = [answer] if answer and answer_kind in ("place", "landmark") else []
            return place + [text for text, label, _, _ in self.names if label in ("GPE", "LOC", "FAC")]
        # a thing: the answer when it names one (not a person, place, number or date); else a
        # named thing of the question; else its subject. A landmark (a mountain, a building; not a
        # country or a town) that answered "which part of the White House..." is "it" next
        # ("what's replacing it?"); one that answered "where" is not: "it" is what was there.
        landmark = answer_kind == "landmark" and classify(self.question).wh != "where"
        # A country or town the question named comes after its things: after "which driver died in
        # a plane crash in North Carolina?", "it" in "which airport did it go down at?" is the crash.
        found = [answer] if answer and (answer_kind in ("group", "thing") or landmark) else []
        places = {text.lower() for text, label, _, _ in self.names if label == "GPE"}
        phrases = [
            text
            for text, plural in self.noun_phrases
            if not plural and text.lower() not in places and not _headed_by_a_person_noun(text)
        ]
        # A name that only qualifies a thing ("the Port Alden tram line") is not "it": the thing is.
        found += [
            next((_with_article(p) for p in phrases if _qualified_by(p, text, self.question)), text)
            for text, label, _, _ in self.names
            if label not in _NOT_THINGS | {"GPE"}
        ]
        found += [_with_article(p) for p in phrases]
        return found + [text for text, label, _, _ in self.names if label == "GPE"]

    def group_referents(self, *, strong: bool) -> list[str]:
        """What "they" may stand for: a plural noun phrase or a group that answered (``strong``),
        else another answer or an organisation, nationality or country named in the question."""
        answer, answer_kind = self.answer, self.answer_kind
        plurals = [text for text, is_plural in self.noun_phrases if is_plural]
        group = answer if answer and answer_kind == "group" else None
        if strong:
            found = [f"the {group} {plurals[0]}"] if plurals and group else []
            counted = [f"the {self.counted}"] if self.counted else []
            return found + counted + [f"the {plural}" for plural in plurals] + ([group] if group else [])
        found = [answer] if answer and answer_kind in ("place", "landmark", "person", "thing") else []
        return found + [text for text, label, _, _ in self.names if label in ("ORG", "NORP", "GPE")]

    def echo(self, fragment: str) -> str:
        """The last turn's statement, then the fragment: "X sent peacekeepers — when?"."""
        fragment = fragment.strip() or "?"
        if not fragment.endswith("?"):
            fragment = fragment.rstrip(".!") + "?"
        return f"{self.statement}{_ECHO}{fragment[:1].lower()}{fragment[1:]}"

    def swapped(self, replacement: str, tokens_of: TokensOf) -> str:
        """The last question about ``replacement`` instead of the name (or year) of its kind."""
        bare = without_preposition(replacement)
        one_of = _THE_X_ONE.fullmatch(bare)
        if one_of and any(t.ent for t in tokens_of(one_of["x"].title())):
            bare = one_of["x"]  # "and the Missouri one?": the one of Missouri, in Missouri's place
        question = self.question
        if self.swapped_in is not None:  # "what about Cambridge?", then "and Dictionary.com?": that slot again
            start, end = self.swapped_in
            return _put(question, start, end, bare)
        if YEAR.fullmatch(bare):
            year = YEAR.search(question)
            if year:
                return question[: year.start()] + bare + question[year.end() :]
            return _before_mark(question, f" in {bare}")
        head, echo, tail = question.partition(_ECHO)
        if echo and tail.startswith("what about "):  # "... — what about the pro max?", then "and the air?"
            return f"{head}{_ECHO}what about {bare}?"
        labels = {t.ent for t in tokens_of(bare) if t.ent}
        if not labels and bare.islower():  # "what about haiti?": the recogniser needs the capitals
            labels = {t.ent for t in tokens_of(bare.title()) if t.ent}
        # Else the last name of a thing, place or person the recogniser knows, else the last proper
        # noun: "what about cambridge?" after "what is Oxford's Word of the Year?" swaps Oxford (ORG),
        # never "Year" (a capitalised noun) (without a name: X is added).
        named = [n for n in self.names if n[1] not in NOT_NAMED]
        recognised = [n for n in named if n[1] != "PROPN"]
        same = [n for n in self.names if n[1] in labels]
        # Of names of the same kind, one the person typed: "where in texas was it sold?" (it: Powerball, which
        # the recogniser also calls a place), then "and the missouri one?" swaps Texas.
        same = [n for n in same if n[0].lower() in self.typed] or same or recognised[-1:] or named[-1:]
        if same:
            _, label, start, end = same[-1]
            before = question[:start].split()[-1:]
            if label in NOT_NAMED and not (before and before[0].lower() in PREPOSITIONS):
                # "how many times has it cut this year?", then "and in january?": "... cut in january?"
                bare = replacement.strip().rstrip("?.! ")
            return _put(question, start, end, bare)
        return f"{self.question.rstrip(' ?')}{_ECHO}what about {bare}?"


def _statement(question: str, tokens: list[Token], wh_end: int, answer: str | None) -> str:
    """The last turn as a statement: its question with the answer in the wh-phrase's place."""
    if _ECHO in question:
        head = question.split(_ECHO)[0]
        return f"{head}, {answer}" if answer else head
    wh_at = next((i for i, t in enumerate(tokens) if t.text.lower() in WH), None)
    if wh_at is None:
        body = question.rstrip(" ?")
        return f"{body}, {answer}" if answer else body
    before = question[: tokens[wh_at].start].strip()
    rest_tokens = tokens[wh_end:]
    if rest_tokens and rest_tokens[0].text.lower() in _DO:
        rest_tokens = rest_tokens[1:]  # "where did the quake strike" → "the quake strike"
    # The wh-phrase is the subject when a verb follows it, or "of ..." and then a verb ("which part
    # of the White House is being torn down?" → "East Wing of the White House is being torn down").
    # "where was Charlie Kirk shot?" is not: its subject follows the "was" ("Charlie Kirk was shot").
    be_inverted = _be_subject_first(question, rest_tokens)
    subject_question = bool(rest_tokens) and (
        rest_tokens[0].tag.startswith(("VB", "MD"))
        and tokens[wh_end].text.lower() not in _AUX - _BE
        and be_inverted is None
        or rest_tokens[0].text.lower() == "of"
    )
    if not rest_tokens:
        rest = ""
    elif subject_question:
        rest = question[rest_tokens[0].start :].rstrip(" ?").strip()
    else:
        rest = be_inverted or _subject_first(question, rest_tokens)
    rest = _CONTRACTED.sub(lambda m: _EXPANDED[m.group(1).lower()], rest)  # "what's replacing it" → "X is replacing it"
    if answer and subject_question:
        body = f"{answer} {rest}"
    elif answer:
        body = f"{rest}, {answer}" if rest else answer
    else:
        # The wh-phrase's nouns ("what animals" → "animals"; "how much" has none) where the answer would stand.
        nouns = " ".join(t.text for t in tokens[wh_at + 1 : wh_end] if t.tag in NOUN_TAGS and t.text.lower() not in WH)
        if subject_question and not nouns and rest.split(" ", 1)[0].lower() in _BE:
            rest = rest.split(" ", 1)[-1]  # "what is Oxford's word of the year?" → "Oxford's word of the year"
        body = f"{nouns} {rest}" if subject_question else f"{rest} {nouns}"
        body = body.strip()
    return f"{before} {body}".strip() if before else body


def _subject_first(question: str, rest: list[Token]) -> str:
    """The question after its wh-phrase, in the order of a statement: "will the tram line cost" →
    "the tram line will cost" (the auxiliary after the subject, which runs to the first verb)."""
    text = question[rest[0].start :].rstrip(" ?").strip()
    aux = rest[0].text.lower()
    if aux not in _AUX - _DO or len(rest) < 3 or rest[1].tag.startswith(("VB", "MD")):
        return text
    verb = next((i for i, t in enumerate(rest[1:], 1) if t.tag.startswith("VB")), None)
    if verb is None or verb == 1 or not all(t.tag in NP_TAGS or t.tag == "PRP" for t in rest[1:verb]):
        return text  # no plain noun phrase before the verb to put first
    return _reordered(question, rest, verb)


def _be_subject_first(question: str, rest: list[Token]) -> str | None:
    """A question's "be" after its subject, when a noun phrase follows the "be" and a predicate follows
    that: "was Charlie Kirk shot" → "Charlie Kirk was shot", "is Netflix buying" → "Netflix is buying",
    "was Jane Goodall famous for studying" → "Jane Goodall was famous for studying", "are the jewels
    stolen from the Louvre worth" → "the jewels stolen from the Louvre are worth". None when the "be" is
    not followed so: "is Oxford's word of the year" (the answer then goes first: "X is Oxford's word of
    the year"), "was arrested" (the wh-phrase is the subject)."""
    if len(rest) < 3 or rest[0].text.lower() not in _BE:
        return None
    words = [t for t in rest if t.text[:1].isalnum()]
    if words[-1].text.lower() == "worth":  # "how much is X worth?": all before "worth" is the subject
        return _reordered(question, words, len(words) - 1) if len(words) > 2 else None
    predicate = next((i for i, t in enumerate(words[2:], 2) if _predicate(t, words[i - 1])), None)
    if predicate is None or not all(t.tag in NP_TAGS or t.tag == "PRP" for t in words[1:predicate]):
        return None
    return _reordered(question, words, predicate)


def _predicate(token: Token, before: Token) -> bool:
    """Whether ``token`` opens what is said of the subject before it: a participle ("shot", "buying"; the
    small tagger reads some as past tenses: "struck"), or an adjective after a noun ("famous for")."""
    return token.tag in ("VBN", "VBG", "VBD") or token.tag == "JJ" and before.tag in NOUN_TAGS


def _reordered(question: str, words: list[Token], predicate: int) -> str:
    """The auxiliary ``words[0]`` moved after the subject, the words before ``predicate``."""
    subject = question[words[1].start : words[predicate - 1].end]
    return f"{subject} {words[0].text} {question[words[predicate].start :].rstrip(' ?').strip()}"


def _answer_kind(question: str, answer: str | None, quotes: Sequence[str], tokens_of: TokensOf) -> str:
    """What the answer is: person, group, place, landmark, date, number or thing.

    The recogniser reads a bare name poorly, so it reads the answer where the cited quotes use it;
    failing that, the answer alone; failing that, what the question asked for.
    """
    if not answer:
        return ""
    asked = classify(question)
    if asked.wh == "who" and asked.head and asks_for_a_person(asked.head):
        return "person"  # "who is the chief librarian?": a person, whatever the recogniser calls "Elena Marsh"
    for quote in quotes:
        at = quote.find(answer)
        if at < 0:
            continue
        labels = [t.ent for t in tokens_of(quote) if t.ent and t.start < at + len(answer) and t.end > at]
        if labels:
            return _KIND_OF_LABEL.get(labels[0], "thing")
    labels = [t.ent for t in tokens_of(answer) if t.ent]
    if labels:
        return _KIND_OF_LABEL.get(labels[0], "thing")
    if asked.labels:
        top = max(asked.labels.items(), key=lambda item: item[1])[0]
        return _KIND_OF_LABEL.get(top, "thing")
    return "thing"


def _asked_about(turn: Turn) -> str | None:
    """The X of a "what about X?" / "and X?" follow-up, without its preposition; None for other turns."""
    typed = WHAT_ABOUT.match(turn.question) or AND_X.match(turn.question) if turn.follow_up else None
    if typed is None:
        return None
    bare = without_preposition(typed.group("x"))
    return bare if bare and not any(w in WH for w in bare.lower().split()) else None


def _swapped_in(bare: str | None, question: str) -> tuple[int, int] | None:
    """Where a "what about X?" / "and X?" follow-up put its X (``bare``, from :func:`_asked_about`) in its
    rewrite ``question``; None for other turns."""
    if bare is None or _ECHO in question:
        return None
    at = question.lower().find(bare.lower())
    return (at, at + len(bare)) if at >= 0 else None


def _put(question: str, start: int, end: int, replacement: str) -> str:
    """``question`` with ``replacement`` in place of ``question[start:end]``."""
    if question[:start].lower().endswith("the ") and replacement.lower().startswith("the "):
        start -= len("the ")  # "the House" → "the Senate", not "the the Senate"
    return question[:start] + replacement + question[end:]


def _before_mark(question: str, addition: str) -> str:
    stripped = question.rstrip(" ?")
    return f"{stripped}{addition}?"


def _names_a_person(phrase: str) -> bool:
    """Whether a common noun phrase names a person by role ("suspect", "prime minister")."""
    return not phrase[:1].isupper() and _headed_by_a_person_noun(phrase)


def _headed_by_a_person_noun(phrase: str) -> bool:
    """Whether a noun phrase's head noun asks for a person ("Taylor Swift's fiancé"): never an "it"."""
    return asks_for_a_person(phrase.split()[-1])


def _qualified_by(phrase: str, name: str, question: str) -> bool:
    """Whether ``phrase`` opens with ``name`` and goes on to the common noun it qualifies ("Port Alden"
    in "the Port Alden tram line"), not as the phrase's own head ("the Louvre").

    A phrase that opens with a figure ("$1.8 billion Powerball jackpot") leaves the name standing,
    and so does one that ends the question: its last word is then more often the predicate the
    small tagger read as a noun ("how much are the jewels from the Louvre Museum worth?").
    """
    if not phrase.startswith(name) or question.rstrip(" ?").endswith(phrase):
        return False
    after = phrase[len(name) :].split()
    return bool(after) and after[-1][:1].islower()


def _with_article(phrase: str) -> str:
    """A noun phrase (read without its determiner) as a pronoun's stand-in: "the tram line", "the UPS
    cargo plane"; a name ("Ben & Jerry's") or a possessive ("Taylor Swift's new album") as it is."""
    words = phrase.split()
    if words[-1][:1].isupper() or _POSSESSIVE_START.search(phrase):
        return phrase
    return f"the {phrase}"
