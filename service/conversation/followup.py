"""Reading a follow-up against the conversation, without a language model.

A follow-up is rewritten into a question that stands alone, from the last turn: its standalone
question (already resolved, so chains work), its short answer, and the kind of thing that answer
is (read from what the question asked for, sharpened by the recogniser's label of the answer).

The forms, and what each becomes (after "who sent peacekeepers?" → "Collective Security Treaty
Organization"):

- pronouns: "how long will they stay?" → "how long will the Collective Security Treaty
  Organization peacekeepers stay?"; he/she/his/her take a person, it/its a thing (from the last
  turn that named one), they/them/their a group (or what a "how many" question counted: "the
  inmates"), "there" a place. Existential "is there", "are there" are left alone.
- "what about X?", "and X?", "and in 2023?": the last question again with X in place of the
  name (or year) of the same kind, else with X added; "that one" next is X.
- fragments and bare wh-words ("when?", "how many?", "for which album?") and questions with no
  subject of their own ("who won?", "why did that happen?"): an echo question, the last turn's
  statement then the fragment: "Collective Security Treaty Organization sent peacekeepers —
  when?". The answerer reads the asked type from the fragment's wh-word.
- "new question: ...", "start over", "reset": the rest is asked afresh.
- a question that names nothing the conversation has not named and shares a noun with it, or
  points back with "that"/"this" before a noun ("how many people were on board?", "where's
  that money coming from?"): asked as typed, with the conversation's topic searched along.

Anything else has its own subject and stands alone: it is left as it is, and a new topic
starts afresh. Retrieval also weighs the articles the earlier turns cited for follow-ups
(``Resolution.context_articles``), which carries the story when the rewrite misses a referent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from service.answer.head_nouns import is_light_head, labels_for_head
from service.answer.nlp import PIPELINE_LOCK, load_nlp
from service.answer.question_types import classify
from service.answer.wordlists import word_set
from service.conversation.casing import recase, written_forms
from service.conversation.models import Turn
from service.retrieval.time_hints import YEAR

Form = Literal["standalone", "reset", "pronoun", "what_about", "fragment", "continued", "rewritten"]

_WH = word_set("wh_words")
_AUX = word_set("auxiliary_verbs")
_DO = frozenset("do does did".split())
_PERSON = frozenset("he him his she her hers himself herself".split())
_THING = frozenset("it its itself".split())
_GROUP = frozenset("they them their theirs themselves".split())
_POSSESSIVE = frozenset("his her its their".split())
_EVENT = frozenset("that this".split())
_DEMONSTRATIVE = frozenset("that this these those".split())
_PREPOSITIONS = frozenset("in at on from to into near for of by across inside outside".split())
_NOUN_TAGS = ("NN", "NNS", "NNP", "NNPS")
_NP_TAGS = frozenset("DT PRP$ JJ JJR JJS NN NNS NNP NNPS CD POS HYPH NML".split())
_LEADING = re.compile(r"^\s*(?:and|but|or|so|ok(?:ay)?|well|also)\b[\s,]*", re.IGNORECASE)
_WHAT_ABOUT = re.compile(r"^\s*(?:and\s+|but\s+)?(?:what|how)\s+about\s+(?P<x>.+?)\s*[?.!]*\s*$", re.IGNORECASE)
_AND_X = re.compile(r"^\s*(?:and|or|but)\s+(?P<x>.+?)\s*[?.!]*\s*$", re.IGNORECASE)
_RESET = re.compile(
    r"^\s*(?:new\s+(?:question|topic|conversation)|start\s+(?:over|again|afresh)|reset|forget\s+(?:that|it|this))\b[\s:,.!;-]*",
    re.IGNORECASE,
)
_P = TypeVar("_P", bound=tuple[Any, ...])
_POSSESSIVE_END = re.compile(r"['’]s?$")
_POSSESSIVE_START = re.compile(r"['’]s?(?!\w)")
_CONTRACTED = re.compile(r"^'(s|re)\b", re.IGNORECASE)
_EXPANDED = {"s": "is", "re": "are"}
_THAT_ONE = re.compile(r"\b(?:that|this) one\b", re.IGNORECASE)
_ECHO = " — "
# The conversation's topic, carried after a follow-up's rewrite: "who did Carlos Alcaraz beat?
# (context: Carlos Alcaraz won the us open men's final)".
_CONTEXT = " (context: "
_CONTEXT_AT_END = re.compile(r"\s*\(context: .*\)\s*$")
_CONTENT_WORD = re.compile(r"[^\W\d_][\w'.&-]*")
# How many earlier turns a pronoun may reach back to for a person or a place.
_LOOK_BACK = 3
# A verbless question this short ("final score?") is a fragment of the last one.
_FRAGMENT_TOKENS = 5

# Labels of names a pronoun "it" does not stand for.
_NOT_THINGS = frozenset("PERSON NORP DATE TIME CARDINAL MONEY QUANTITY PERCENT ORDINAL".split())

# Labels of a date or an amount: what "what about X?" swaps only for an X of the same label.
_NOT_NAMED = frozenset("DATE TIME CARDINAL MONEY QUANTITY PERCENT ORDINAL".split())

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
class Resolution:
    """How a question was read in its conversation."""

    standalone: str
    form: Form
    # Articles the earlier turns cited, most recent first: retrieval weighs them for follow-ups.
    context_articles: tuple[str, ...] = ()
    # The conversation's topic ("Carlos Alcaraz won the us open men's final"), searched along with
    # ``standalone`` when the rewrite does not name it already (None: nothing to add).
    topic: str | None = None

    @property
    def searched(self) -> str:
        """What retrieval searches for, as users are shown it: the rewrite, then the topic."""
        return f"{self.standalone}{_CONTEXT}{self.topic})" if self.topic else self.standalone

    @property
    def follow_up(self) -> bool:
        """Whether the earlier turns were used."""
        return self.form not in ("standalone", "reset")


@dataclass(frozen=True)
class _Token:
    text: str
    tag: str
    ent: str
    start: int
    end: int


def cited_before(history: Sequence[Turn], turns: int = 3) -> tuple[str, ...]:
    """Articles the last ``turns`` turns cited, most recent first, once each: retrieval weighs them."""
    return tuple(dict.fromkeys(a for turn in reversed(history[-turns:]) for a in turn.cited_articles))


def is_reset(question: str) -> bool:
    """Whether ``question`` asks to start afresh ("new question", "start over", "reset")."""
    return bool(_RESET.match(question))


def without_reset(question: str) -> str:
    """``question`` with its reset words removed ("new question: who won?" → "who won?")."""
    return _RESET.sub("", question, count=1).strip()


def without_context(standalone: str) -> str:
    """A rewrite without the topic carried after it ("(context: ...)")."""
    return _CONTEXT_AT_END.sub("", standalone)


class HeuristicResolver:
    """Rewrites follow-ups with the tagger and recogniser of spaCy's small English pipeline.

    The pipeline loads on the first follow-up (``nlp`` None: the process-wide one), so first
    questions never wait for it.
    """

    name = "heuristic"

    def __init__(self, nlp: Any | None = None):
        self._nlp = nlp

    @property
    def nlp(self) -> Any:
        """The spaCy pipeline (loaded on first use)."""
        if self._nlp is None:
            self._nlp = load_nlp()
        return self._nlp

    def resolve(self, question: str, history: Sequence[Turn]) -> Resolution:
        """``question`` read against ``history`` (oldest turn first)."""
        if is_reset(question):
            return Resolution(without_reset(question), "reset")
        if not history:
            return Resolution(question, "standalone")
        context = cited_before(history)
        recent = history[-_LOOK_BACK:]
        forms = written_forms(
            [c.quote for turn in recent for c in turn.citations] + [t.short_answer for t in recent if t.short_answer]
        )
        answers = [t.short_answer for t in recent if t.answered and t.short_answer]
        earlier = [_Previous.read(turn, self._tokens, forms, answers) for turn in reversed(recent)]
        recased = recase(question, forms)
        tokens = self._tokens(recased)
        rewritten = self._rewrite(recased, tokens, _Context(earlier))
        if rewritten is None and _continues(recased, tokens, _said(recent)):
            rewritten = question, "continued"
        if rewritten is None:
            return Resolution(question, "standalone")
        standalone, form = rewritten
        # The turns already read, by their place in ``history`` (the topic is usually one of them).
        known = {len(history) - 1 - i: previous for i, previous in enumerate(earlier)}
        return Resolution(standalone, form, context, self._topic(standalone, history, forms, known))

    def _topic(
        self, standalone: str, history: Sequence[Turn], forms: dict[str, str], known: dict[int, _Previous]
    ) -> str | None:
        """The conversation's topic, unless ``standalone`` already names it.

        The topic is the statement of the last turn that stood alone ("Carlos Alcaraz won the us
        open men's final"): the story every follow-up since is about. A chain of pronouns loses it
        ("who did he beat?" → "where was he born?"); searched along, it keeps retrieval on the
        story even when the earlier short answer was wrong. Only retrieval reads it: the answer
        is read against the rewrite alone, or the topic's own answer would be named again.
        """
        at = max((i for i, t in enumerate(history) if not t.follow_up), default=0)
        read = known.get(at) or _Previous.read(history[at], self._tokens, forms)
        # What the topic is about: its answer, names and nouns (not its verbs or wh-words).
        about = " ".join([read.answer or "", *(n[0] for n in read.names), *(p[0] for p in read.noun_phrases)])
        wanted = {w.lower() for w in _CONTENT_WORD.findall(about) if len(w) > 3 or w[:1].isupper()}
        have = {w.lower() for w in _CONTENT_WORD.findall(standalone)}
        if not read.statement or wanted <= have:
            return None
        return read.statement

    def _rewrite(self, question: str, tokens: list[_Token], previous: _Context) -> tuple[str, Form] | None:
        about = _WHAT_ABOUT.match(question)
        if about:
            return previous.swapped(about.group("x"), self._tokens), "what_about"
        words = [t.text.lower() for t in tokens]
        has_verb = any(t.tag.startswith(("VB", "MD")) for t in tokens)
        has_wh = any(w in _WH for w in words)
        and_x = _AND_X.match(question)
        # "and the winning homer in game 7?": a participle before a noun is no verb of its own
        finite = any(t.tag.startswith(("VB", "MD")) and t.tag != "VBG" for t in tokens)
        if and_x and not finite and not has_wh:
            return previous.swapped(and_x.group("x"), self._tokens), "what_about"
        that_one = _THAT_ONE.search(question)
        if that_one and previous.turns[0].asked_about:
            # "and the air?", then "how thin is that one?": the one asked about last
            one = previous.turns[0].asked_about
            return _LEADING.sub("", question[: that_one.start()] + one + question[that_one.end() :]).strip(), "pronoun"
        pronoun = self._replace_pronouns(question, tokens, previous)
        if pronoun is not None:
            return pronoun, "pronoun"
        if not has_verb and (has_wh or len(tokens) <= _FRAGMENT_TOKENS) or has_wh and not _has_subject(tokens):
            return previous.echo(_LEADING.sub("", question).strip()), "fragment"
        if any(w in _EVENT and _is_pronoun_at(tokens, i) for i, w in enumerate(words)):
            return previous.echo(_LEADING.sub("", question).strip()), "fragment"
        if any(_refers_back(tokens, i) for i in range(len(tokens))):
            # A pronoun with no referent of its kind ("who is its director?" after a sum of
            # money), or "the last one": asked as typed, with the conversation's topic searched.
            return question, "pronoun"
        return None

    def _replace_pronouns(self, question: str, tokens: list[_Token], previous: _Context) -> str | None:
        pieces: list[str] = []
        at = 0
        # One referent per kind of pronoun, and different kinds stand for different things: in
        # "when did they buy it?" they and it are never both the company that answered.
        chosen: dict[str, str | None] = {}
        for i, token in enumerate(tokens):
            word = token.text.lower()
            kind = _pronoun_kind(tokens, i)
            if kind is None:
                continue
            if kind not in chosen:
                taken = [r for r in chosen.values() if r]
                chosen[kind] = next((r for r in previous.referents(kind) if not _overlaps(r, taken)), None)
            referent = chosen[kind]
            if referent is None:
                continue
            if kind == "place":
                before = tokens[i - 1].text.lower() if i else ""
                referent = referent if before in _PREPOSITIONS else f"in {referent}"
            if word in _POSSESSIVE and word != "her" or (word == "her" and _next_is_nominal(tokens, i)):
                referent = referent + "'" if referent.endswith("s") else referent + "'s"
            pieces.append(question[at : token.start])
            pieces.append(referent)
            at = token.end
        if not pieces:
            return None
        pieces.append(question[at:])
        return _LEADING.sub("", "".join(pieces)).strip()

    def _tokens(self, text: str) -> list[_Token]:
        with PIPELINE_LOCK:
            doc = self.nlp(text, disable=[p for p in self.nlp.pipe_names if p == "parser"])
        return [_Token(t.text, t.tag_, t.ent_type_, t.idx, t.idx + len(t.text)) for t in doc]


@dataclass(frozen=True)
class _Context:
    """The last few turns, most recent first: what a follow-up may refer to."""

    turns: list[_Previous]

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

    def swapped(self, replacement: str, tokens_of: Any) -> str:
        """The last question about ``replacement`` instead."""
        return self.turns[0].swapped(replacement, tokens_of)


@dataclass(frozen=True)
class _Previous:
    """What the last turn offers a follow-up to refer to."""

    question: str
    answer: str | None
    answer_kind: str
    statement: str
    noun_phrases: tuple[tuple[str, bool], ...]  # (text without determiner, plural), outside the wh-phrase
    names: tuple[tuple[str, str, int, int], ...]  # (text, label, start, end) of entities in the question
    counted: str | None = None  # what a "how many" question counts ("inmates"): what "they" are next
    swapped_in: tuple[int, int] | None = None  # where a "what about X?" turn put its X in ``question``
    asked_about: str | None = None  # the X of a "what about X?" turn: what "that one" is next

    @classmethod
    def read(cls, turn: Turn, tokens_of: Any, forms: dict[str, str], answers: Sequence[str] = ()) -> _Previous:
        """The turn as a follow-up sees it; ``answers`` are the conversation's short answers, names the
        recogniser may split when a later question repeats them."""
        question = recase(without_context(turn.standalone_question).strip(), forms)
        answer = turn.short_answer if turn.answered and turn.short_answer else None
        tokens: list[_Token] = tokens_of(question)
        wh_end = _wh_phrase_end(tokens)
        # An answer may come with its possessive ("Jane Doe's"); the name is what a later question repeats.
        repeated = [w for a in answers if (w := _POSSESSIVE_END.sub("", a)).lower() in question.lower()]
        # A name that owns what was asked ("which Ben & Jerry's co-founder") is a referent too, after the names
        # the rest of the question gives; one that only sorts it ("which NASCAR driver") is not.
        # Only inside the wh-phrase: an echo question's statement ("Kohl's fired its CEO — who?") comes before it.
        wh_at = next((i for i, t in enumerate(tokens[:wh_end]) if t.text.lower() in _WH), wh_end)
        asked_end = tokens[wh_end - 1].end if wh_end else 0
        owners = [
            e
            for e in _entities(question, tokens, start=wh_at + 1)
            if e[3] <= asked_end and _POSSESSIVE_START.match(question, e[3])
        ]
        names = tuple(
            _once([(_whole(t, repeated), lab, a, b) for t, lab, a, b in [*_entities(question, tokens), *owners]])
        )
        noun_phrases = tuple(
            _once([(_whole(t, repeated), plural) for t, plural in _noun_phrases(question, tokens, wh_end)])
        )
        kind = _answer_kind(question, answer, [c.quote for c in turn.citations], tokens_of)
        about = _asked_about(turn)
        return cls(
            question=question,
            answer=answer,
            answer_kind=kind,
            statement=_statement(question, tokens, wh_end, answer),
            noun_phrases=noun_phrases,
            names=names,
            counted=_counted(question, tokens, wh_end),
            swapped_in=_swapped_in(about, question),
            asked_about=recase(about, forms) if about else None,
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
        found += [text for text, label, _, _ in self.names if label not in _NOT_THINGS | {"GPE"}]
        places = {text.lower() for text, label, _, _ in self.names if label == "GPE"}
        found += [
            text if text[:1].isupper() else f"the {text}"
            for text, plural in self.noun_phrases
            if not plural and text.lower() not in places and not _headed_by_a_person_noun(text)
        ]
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

    def swapped(self, replacement: str, tokens_of: Any) -> str:
        """The last question about ``replacement`` instead of the name (or year) of its kind."""
        bare = _without_preposition(replacement)
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
        named = [n for n in self.names if n[1] not in _NOT_NAMED]
        recognised = [n for n in named if n[1] != "PROPN"]
        same = [n for n in self.names if n[1] in labels] or recognised[-1:] or named[-1:]
        if same:
            _, label, start, end = same[-1]
            before = question[:start].split()[-1:]
            if label in _NOT_NAMED and not (before and before[0].lower() in _PREPOSITIONS):
                # "how many times has it cut this year?", then "and in january?": "... cut in january?"
                bare = replacement.strip().rstrip("?.! ")
            return _put(question, start, end, bare)
        return f"{self.question.rstrip(' ?')}{_ECHO}what about {bare}?"


def _put(question: str, start: int, end: int, replacement: str) -> str:
    """``question`` with ``replacement`` in place of ``question[start:end]``."""
    if question[:start].lower().endswith("the ") and replacement.lower().startswith("the "):
        start -= len("the ")  # "the House" → "the Senate", not "the the Senate"
    return question[:start] + replacement + question[end:]


def _without_preposition(replacement: str) -> str:
    """The X of "what about X?" without a leading preposition ("in 2023" → "2023")."""
    replacement = replacement.strip().rstrip("?.! ")
    return re.sub(r"^(?:in|for|at|on|from|of|with|about|during)\s+", "", replacement, flags=re.IGNORECASE)


def _asked_about(turn: Turn) -> str | None:
    """The X of a "what about X?" / "and X?" follow-up, without its preposition; None for other turns."""
    typed = _WHAT_ABOUT.match(turn.question) or _AND_X.match(turn.question) if turn.follow_up else None
    if typed is None:
        return None
    bare = _without_preposition(typed.group("x"))
    return bare if bare and not any(w in _WH for w in bare.lower().split()) else None


def _swapped_in(bare: str | None, question: str) -> tuple[int, int] | None:
    """Where a "what about X?" / "and X?" follow-up put its X (``bare``, from :func:`_asked_about`) in its
    rewrite ``question``; None for other turns."""
    if bare is None or _ECHO in question:
        return None
    at = question.lower().find(bare.lower())
    return (at, at + len(bare)) if at >= 0 else None


def _said(turns: Sequence[Turn]) -> str:
    """What ``turns`` said, lower-cased: their questions, short answers and cited quotes."""
    texts = [t.standalone_question for t in turns] + [t.short_answer or "" for t in turns]
    return " ".join(texts + [c.quote for t in turns for c in t.citations]).lower()


def _continues(question: str, tokens: list[_Token], said: str) -> bool:
    """Whether a question with no pronoun carries on the conversation's story ("how many people were
    on board?" after a plane crash): it names nothing the conversation has not named, and one of
    its nouns is the conversation's or follows "that", "this", "these", "those". A name of its
    own ("who is replacing Anna Wintour?") starts a new topic."""
    names = [n for n in _entities(question, tokens, start=0) if n[1] not in _NOT_NAMED]
    if any(name.lower() not in said for name, _, _, _ in names):
        return False
    if any(
        t.text.lower() in _DEMONSTRATIVE and not t.ent and _next_is_nominal(tokens, i) for i, t in enumerate(tokens)
    ):
        return True  # "where's that money coming from?": the money the conversation spoke of
    nouns = {t.text.lower() for t in tokens if t.tag in _NOUN_TAGS and t.text.lower() not in _WH}
    return any(re.search(rf"\b{re.escape(noun.removesuffix('s'))}", said) for noun in nouns if len(noun) > 2)


def _before_mark(question: str, addition: str) -> str:
    stripped = question.rstrip(" ?")
    return f"{stripped}{addition}?"


def _wh_phrase_end(tokens: list[_Token]) -> int:
    """Index after the question's wh-phrase ("which country", "how many people", "who"); 0 without one."""
    for i, token in enumerate(tokens):
        if token.text.lower() not in _WH:
            continue
        j = i + 1
        if token.text.lower() == "how" and j < len(tokens) and tokens[j].tag.startswith(("JJ", "RB")):
            j += 1
        while j < len(tokens) and _in_noun_phrase(tokens, j) and tokens[j].tag not in ("DT", "PRP$"):
            j += 1
        return j
    return 0


def _entities(question: str, tokens: list[_Token], start: int | None = None) -> list[tuple[str, str, int, int]]:
    """Runs of tokens with one entity label (or of proper nouns), from ``start`` (None: after the wh-phrase)."""
    found: list[tuple[str, str, int, int]] = []
    i = _wh_phrase_end(tokens) if start is None else start
    while i < len(tokens):
        token = tokens[i]
        label = token.ent or ("PROPN" if token.tag in ("NNP", "NNPS") else "")
        if not label:
            i += 1
            continue
        j = i
        while (
            j + 1 < len(tokens)
            and (tokens[j + 1].ent or ("PROPN" if tokens[j + 1].tag in ("NNP", "NNPS") else "")) == label
        ):
            j += 1
        last = j
        while last > i and tokens[last].tag == "POS":  # the recogniser keeps "'s" in "Taylor Swift's"
            last -= 1
        found.append((question[token.start : tokens[last].end], label, token.start, tokens[last].end))
        i = j + 1
    return found


def _whole(text: str, repeated: Sequence[str]) -> str:
    """The earlier answer ``text`` is part of, else ``text``: the tagger reads "how many songs are on
    Life of a Showgirl?" as the noun "Life" and the name "Showgirl"."""
    if not repeated:
        return text
    part = re.compile(rf"(?<!\w){re.escape(text.lower())}(?!\w)")
    return next((answer for answer in repeated if part.search(answer.lower())), text)


def _once(phrases: list[_P]) -> list[_P]:
    """``phrases`` without a repeat of an earlier one's text (two parts widened to one answer)."""
    seen: set[str] = set()
    kept: list[_P] = []
    for phrase in phrases:
        if phrase[0] not in seen:
            seen.add(phrase[0])
            kept.append(phrase)
    return kept


def _in_noun_phrase(tokens: list[_Token], i: int) -> bool:
    """Whether the token at ``i`` carries a noun phrase on: a noun-phrase tag, or the "&" inside a name
    ("Ben & Jerry's", "Procter & Gamble")."""
    if tokens[i].text == "&":
        return 0 < i < len(tokens) - 1 and tokens[i - 1].tag.startswith("NNP") and tokens[i + 1].tag.startswith("NNP")
    return tokens[i].tag in _NP_TAGS


def _counted(question: str, tokens: list[_Token], wh_end: int) -> str | None:
    """The plural noun a "how many" wh-phrase counts ("how many inmates escaped?": "inmates")."""
    words = [t.text.lower() for t in tokens[:wh_end]]
    at = words.index("how") if "how" in words else -1
    if at < 0 or words[at + 1 : at + 2] != ["many"]:
        return None
    nouns = [t for t in tokens[at + 2 : wh_end] if t.tag in ("NNS", "NNPS")]
    return question[nouns[0].start : nouns[-1].end] if nouns else None


def _noun_phrases(question: str, tokens: list[_Token], start: int) -> list[tuple[str, bool]]:
    """Noun phrases after the wh-phrase, without their determiner, each with whether it is plural."""
    phrases: list[tuple[str, bool]] = []
    i = start
    while i < len(tokens):
        if tokens[i].tag not in _NP_TAGS:
            i += 1
            continue
        j = i
        while j < len(tokens) and _in_noun_phrase(tokens, j):
            j += 1
        run = tokens[i:j]
        while run and run[0].tag in ("DT", "PRP$", "POS"):
            run = run[1:]
        nouns = [t for t in run if t.tag in _NOUN_TAGS and t.ent not in ("CARDINAL", "QUANTITY")]
        light = j < len(tokens) and tokens[j].text.lower() == "of" and run and is_light_head(run[-1].text)
        if nouns and not light:  # "the names of the turkeys": the turkeys are what "they" may be
            last = max(k for k, t in enumerate(run) if t.tag in _NOUN_TAGS)
            run = run[: last + 1]
            phrases.append((question[run[0].start : run[-1].end], run[-1].tag in ("NNS", "NNPS")))
        i = j
    return phrases


def _names_a_person(phrase: str) -> bool:
    """Whether a common noun phrase names a person by role ("suspect", "prime minister")."""
    return not phrase[:1].isupper() and _headed_by_a_person_noun(phrase)


def _headed_by_a_person_noun(phrase: str) -> bool:
    """Whether a noun phrase's head noun asks for a person ("Taylor Swift's fiancé"): never an "it"."""
    labels = labels_for_head(phrase.split()[-1])
    return bool(labels) and max(labels, key=lambda label: labels[label]) == "PERSON"


def _statement(question: str, tokens: list[_Token], wh_end: int, answer: str | None) -> str:
    """The last turn as a statement: its question with the answer in the wh-phrase's place."""
    if _ECHO in question:
        head = question.split(_ECHO)[0]
        return f"{head}, {answer}" if answer else head
    wh_at = next((i for i, t in enumerate(tokens) if t.text.lower() in _WH), None)
    if wh_at is None:
        body = question.rstrip(" ?")
        return f"{body}, {answer}" if answer else body
    before = question[: tokens[wh_at].start].strip()
    rest_tokens = tokens[wh_end:]
    if rest_tokens and rest_tokens[0].text.lower() in _DO:
        rest_tokens = rest_tokens[1:]  # "where did the quake strike" → "the quake strike"
    rest = question[rest_tokens[0].start :].rstrip(" ?").strip() if rest_tokens else ""
    rest = _CONTRACTED.sub(lambda m: _EXPANDED[m.group(1).lower()], rest)  # "what's replacing it" → "X is replacing it"
    # The wh-phrase is the subject when a verb follows it, or "of ..." and then a verb ("which part
    # of the White House is being torn down?" → "East Wing of the White House is being torn down").
    subject_question = bool(rest_tokens) and (
        rest_tokens[0].tag.startswith(("VB", "MD"))
        and tokens[wh_end].text.lower() not in _AUX - {"is", "are", "was", "were"}
        or rest_tokens[0].text.lower() == "of"
    )
    if answer and subject_question:
        body = f"{answer} {rest}"
    elif answer:
        body = f"{rest}, {answer}" if rest else answer
    else:
        wh_phrase = question[tokens[wh_at].start : tokens[wh_end - 1].end] if wh_end > wh_at else ""
        nouns = " ".join(w for w in wh_phrase.split()[1:] if w.lower() not in _WH)
        body = f"{nouns} {rest}".strip()
    return f"{before} {body}".strip() if before else body


def _answer_kind(question: str, answer: str | None, quotes: Sequence[str], tokens_of: Any) -> str:
    """What the answer is: person, group, place, landmark, date, number or thing.

    The recogniser reads a bare name poorly, so it reads the answer where the cited quotes use it;
    failing that, the answer alone; failing that, what the question asked for.
    """
    if not answer:
        return ""
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
    asked = classify(question)
    if asked.labels:
        top = max(asked.labels.items(), key=lambda item: item[1])[0]
        return _KIND_OF_LABEL.get(top, "thing")
    return "thing"


def _has_subject(tokens: list[_Token]) -> bool:
    """Whether the question names something of its own (a noun outside its wh-phrase)."""
    start = _wh_phrase_end(tokens)
    return any(t.tag in _NOUN_TAGS and t.text.lower() not in _WH for t in tokens[start:]) or any(
        t.tag == "PRP" for t in tokens
    )


def _refers_back(tokens: list[_Token], i: int) -> bool:
    """A personal pronoun (not an expletive "it") with no noun of its number before it in the
    question ("which second lady announced she's expecting?" refers within), or "one" after a
    determiner or adjective ("the last one")."""
    if tokens[i].text.lower() == "one":
        return i > 0 and tokens[i - 1].tag in ("DT", "JJ", "JJS", "NN", "NNP")
    kind = _pronoun_kind(tokens, i)
    if kind not in ("person", "thing", "group"):
        return False
    wanted = ("NNS", "NNPS") if kind == "group" else ("NN", "NNP")
    return not any(t.tag in wanted for t in tokens[:i])


def _pronoun_kind(tokens: list[_Token], i: int) -> str | None:
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


def _overlaps(referent: str, taken: Sequence[str]) -> bool:
    """Whether ``referent`` names what another pronoun already stands for ("Unilever" in "the Unilever deal")."""
    lowered = referent.lower()
    return any(lowered in other.lower() or other.lower() in lowered for other in taken)


def _is_pronoun_at(tokens: list[_Token], i: int) -> bool:
    """ "that"/"this" standing alone ("why did that happen?"), not before a noun ("that deal")."""
    return not _next_is_nominal(tokens, i) and tokens[i].tag in ("DT", "WDT", "PRP")


def _next_is_nominal(tokens: list[_Token], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1].tag.startswith(("NN", "JJ", "CD"))


def _is_existential_there(tokens: list[_Token], i: int) -> bool:
    """ "is there", "are there any", "there is": no place meant."""
    before = tokens[i - 1].text.lower() if i else ""
    after = tokens[i + 1].text.lower() if i + 1 < len(tokens) else ""
    return (
        tokens[i].tag == "EX"
        or before in ("is", "are", "was", "were", "be", "been")
        or after in ("is", "are", "was", "were", "has", "have", "had", "will")
    )


def _is_expletive_it(tokens: list[_Token], i: int) -> bool:
    """ "is it true that ...", "it is said": ``it`` that stands for nothing."""
    window = " ".join(t.text.lower() for t in tokens[i : i + 3])
    return window.startswith(("it true", "it possible", "it likely", "it is said", "it was said"))
