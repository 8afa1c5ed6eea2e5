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
from typing import Any

from service.answer.nlp import PIPELINE_LOCK, load_nlp
from service.conversation.casing import recase, written_forms
from service.conversation.earlier_turn import EarlierTurn, EarlierTurns
from service.conversation.models import Turn
from service.conversation.pronouns import (
    DEMONSTRATIVE,
    EVENT,
    POSSESSIVE,
    is_pronoun_at,
    overlaps,
    pronoun_kind,
    refers_back,
)
from service.conversation.question_parts import (
    AND_X,
    NOT_NAMED,
    NOUN_TAGS,
    PREPOSITIONS,
    WH,
    WHAT_ABOUT,
    Token,
    entities,
    has_subject,
    next_is_nominal,
    with_main_verb,
)
from service.conversation.resolution import Form, Resolution, cited_before, is_reset, without_reset

_LEADING = re.compile(r"^\s*(?:and|but|or|so|ok(?:ay)?|well|also)\b[\s,]*", re.IGNORECASE)
_THAT_ONE = re.compile(r"\b(?:that|this) one\b", re.IGNORECASE)
_CONTENT_WORD = re.compile(r"[^\W\d_][\w'.&-]*")
# How many earlier turns a pronoun may reach back to for a person or a place.
_LOOK_BACK = 3
# A verbless question this short ("final score?") is a fragment of the last one.
_FRAGMENT_TOKENS = 5


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
        earlier = [EarlierTurn.read(turn, self._tokens, forms, answers) for turn in reversed(recent)]
        recased = recase(question, forms)
        tokens = self._tokens(recased)
        rewritten = self._rewrite(recased, tokens, EarlierTurns(earlier))
        if rewritten is None and _continues(recased, tokens, _said(recent)):
            rewritten = question, "continued"
        if rewritten is None:
            return Resolution(question, "standalone")
        standalone, form = rewritten
        # The turns already read, by their place in ``history`` (the topic is usually one of them).
        known = {len(history) - 1 - i: previous for i, previous in enumerate(earlier)}
        return Resolution(standalone, form, context, self._topic(standalone, history, forms, known))

    def _topic(
        self, standalone: str, history: Sequence[Turn], forms: dict[str, str], known: dict[int, EarlierTurn]
    ) -> str | None:
        """The conversation's topic, unless ``standalone`` already names it.

        The topic is the statement of the last turn that stood alone ("Carlos Alcaraz won the us
        open men's final"): the story every follow-up since is about. A chain of pronouns loses it
        ("who did he beat?" → "where was he born?"); searched along, it keeps retrieval on the
        story even when the earlier short answer was wrong. Only retrieval reads it: the answer
        is read against the rewrite alone, or the topic's own answer would be named again.
        """
        at = max((i for i, t in enumerate(history) if not t.follow_up), default=0)
        read = known.get(at) or EarlierTurn.read(history[at], self._tokens, forms)
        # What the topic is about: its answer, names and nouns (not its verbs or wh-words).
        about = " ".join([read.answer or "", *(n[0] for n in read.names), *(p[0] for p in read.noun_phrases)])
        wanted = {w.lower() for w in _CONTENT_WORD.findall(about) if len(w) > 3 or w[:1].isupper()}
        have = {w.lower() for w in _CONTENT_WORD.findall(standalone)}
        if not read.statement or wanted <= have:
            return None
        return read.statement

    def _rewrite(self, question: str, tokens: list[Token], previous: EarlierTurns) -> tuple[str, Form] | None:
        about = WHAT_ABOUT.match(question)
        if about:
            return previous.swapped(about.group("x"), self._tokens), "what_about"
        words = [t.text.lower() for t in tokens]
        has_verb = any(t.tag.startswith(("VB", "MD")) for t in tokens)
        has_wh = any(w in WH for w in words)
        and_x = AND_X.match(question)
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
        if not has_verb and (has_wh or len(tokens) <= _FRAGMENT_TOKENS) or has_wh and not has_subject(tokens):
            return previous.echo(_LEADING.sub("", question).strip()), "fragment"
        if any(w in EVENT and is_pronoun_at(tokens, i) for i, w in enumerate(words)):
            return previous.echo(_LEADING.sub("", question).strip()), "fragment"
        if any(refers_back(tokens, i) for i in range(len(tokens))):
            # A pronoun with no referent of its kind ("who is its director?" after a sum of
            # money), or "the last one": asked as typed, with the conversation's topic searched.
            return question, "pronoun"
        return None

    def _replace_pronouns(self, question: str, tokens: list[Token], previous: EarlierTurns) -> str | None:
        pieces: list[str] = []
        at = 0
        # One referent per kind of pronoun, and different kinds stand for different things: in
        # "when did they buy it?" they and it are never both the company that answered.
        chosen: dict[str, str | None] = {}
        for i, token in enumerate(tokens):
            word = token.text.lower()
            kind = pronoun_kind(tokens, i)
            if kind is None:
                continue
            if kind not in chosen:
                taken = [r for r in chosen.values() if r]
                chosen[kind] = next((r for r in previous.referents(kind) if not overlaps(r, taken)), None)
            referent = chosen[kind]
            if referent is None:
                continue
            if kind == "place":
                before = tokens[i - 1].text.lower() if i else ""
                referent = referent if before in PREPOSITIONS else f"in {referent}"
            if word in POSSESSIVE and word != "her" or (word == "her" and next_is_nominal(tokens, i)):
                referent = referent + "'" if referent.endswith("s") else referent + "'s"
            pieces.append(question[at : token.start])
            pieces.append(referent)
            at = token.end
        if not pieces:
            return None
        pieces.append(question[at:])
        return _LEADING.sub("", "".join(pieces)).strip()

    def _tokens(self, text: str) -> list[Token]:
        with PIPELINE_LOCK:
            doc = self.nlp(text, disable=[p for p in self.nlp.pipe_names if p == "parser"])
        return with_main_verb([Token(t.text, t.tag_, t.ent_type_, t.idx, t.idx + len(t.text)) for t in doc])


def _said(turns: Sequence[Turn]) -> str:
    """What ``turns`` said, lower-cased: their questions, short answers and cited quotes."""
    texts = [t.standalone_question for t in turns] + [t.short_answer or "" for t in turns]
    return " ".join(texts + [c.quote for t in turns for c in t.citations]).lower()


def _continues(question: str, tokens: list[Token], said: str) -> bool:
    """Whether a question with no pronoun carries on the conversation's story ("how many people were
    on board?" after a plane crash): it names nothing the conversation has not named, and one of
    its nouns is the conversation's or follows "that", "this", "these", "those". A name of its
    own ("who is replacing Anna Wintour?") starts a new topic."""
    names = [n for n in entities(question, tokens, start=0) if n[1] not in NOT_NAMED]
    if any(name.lower() not in said for name, _, _, _ in names):
        return False
    if any(t.text.lower() in DEMONSTRATIVE and not t.ent and next_is_nominal(tokens, i) for i, t in enumerate(tokens)):
        return True  # "where's that money coming from?": the money the conversation spoke of
    nouns = {t.text.lower() for t in tokens if t.tag in NOUN_TAGS and t.text.lower() not in WH}
    return any(re.search(rf"\b{re.escape(noun.removesuffix('s'))}", said) for noun in nouns if len(noun) > 2)
