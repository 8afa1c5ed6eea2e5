"""Who did what to whom: the role a question asks about, and the role each name plays in a sentence.

"Who won the final?" asks for the one who acted (the subject of its verb); "who did he beat?" and
"who was awarded the medal?" ask for the one acted on (the object, or the subject of a passive).
In "Carlos Alcaraz beat Jannik Sinner to win his second title" both players stand next to the
question's words; only the sentence's grammar says which of them won. spaCy's dependency parser
reads that grammar, so a mention in the asked role counts for more and one in the other role for
less (``scoring``). Only sentences naming two or more candidates are parsed: elsewhere a role
changes nothing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, Literal

from service.answer.nlp import MAX_NER_CHARS, PIPELINE_LOCK
from service.answer.wordlists import word_set
from service.stages import staged

__all__ = ["Role", "RoleCache", "asked_role"]

Role = Literal["agent", "patient"]

_WH = frozenset({"who", "whom", "which", "what"})
# Prepositions whose object is the one acted on: "a win over the Yankees", "lost to Alcaraz".
_PATIENT_PREPOSITIONS = frozenset({"over", "to", "against"})
_PARSE_PIPES = ("tok2vec", "tagger", "attribute_ruler", "parser")


def asked_role(doc: Any) -> Role | None:
    """The role of a parsed question's wh-phrase: "agent" for "who won?", "which team won?",
    "patient" for "who did he beat?", "who was awarded ...?"; None when it asks for neither."""
    wh = next((t for t in doc if t.text.lower() in _WH), None)
    if wh is None:
        return None
    asked = wh.head if wh.dep_ == "det" else wh  # "which team": the noun holds the role
    verb = asked.head.head if asked.head.dep_ == "aux" else asked.head  # "who did ... beat": beat
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    # spaCy makes a new Token object on each access: tokens are compared by position.
    other_subject = any(t.dep_ == "nsubj" and t.i != asked.i and t.tag_ not in ("WP", "WDT") for t in verb.children)
    if asked.dep_ in ("dobj", "nsubjpass") or (asked.dep_ == "nsubj" and other_subject):
        return "patient"  # "who did Jannik Sinner beat?" parses "who" as a subject beside the real one
    if asked.dep_ == "nsubj":
        return "agent"
    return None


def _roles(doc: Any) -> dict[int, Role]:
    """Character offset of each noun that is a verb's subject or object -> its role."""
    found: dict[int, Role] = {}
    speech = word_set("speech_verbs")
    for t in doc:
        if t.dep_ == "nsubj" and t.head.pos_ in ("VERB", "AUX"):
            if t.head.text.lower() not in speech:  # "..., Tokayev said": the source, not a doer (``scoring``)
                found[t.idx] = "agent"
        elif t.dep_ in ("dobj", "nsubjpass") or (t.dep_ == "pobj" and t.head.text.lower() in _PATIENT_PREPOSITIONS):
            found[t.idx] = "patient"
    return found


class RoleCache:
    """Subject and object nouns of sentences, remembered by text (sentences recur across questions).

    ``roles(texts)`` parses only the texts it has not seen. Thread-safe; bounded.
    """

    def __init__(self, nlp: Any, max_items: int = 20_000):
        self.nlp = nlp
        self.max_items = max_items
        self._items: OrderedDict[str, dict[int, Role]] = OrderedDict()
        self._lock = threading.Lock()
        self._disabled = [p for p in nlp.pipe_names if p not in _PARSE_PIPES]
        self.available = "parser" in nlp.pipe_names

    def roles(self, texts: Sequence[str]) -> list[dict[int, Role]]:
        """For each text, the character offset of each subject or object noun and its role."""
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._items]
        if missing and self.available:
            found = self._parse(missing)
            with self._lock:
                self._items.update(zip(missing, found, strict=True))
                while len(self._items) > self.max_items:
                    self._items.popitem(last=False)
        with self._lock:
            return [self._items.get(t, {}) for t in texts]

    @staged("spaCy parser (roles)")
    def _parse(self, texts: list[str]) -> list[dict[int, Role]]:
        with PIPELINE_LOCK:
            cut = [t[:MAX_NER_CHARS] for t in texts]
            return [_roles(doc) for doc in self.nlp.pipe(cut, disable=self._disabled)]
