"""Evidence sentences and mentions in them, built by hand for the answer rules' unit tests."""

from __future__ import annotations

from service.answer.mentions import Evidence, Mention
from service.retrieval.evidence import Sentence


def evidence(text: str, passage: int = 0, article: str = "a1", weight: float = 1.0) -> Evidence:
    """``text`` as one evidence sentence of ``passage`` from ``article``."""
    return Evidence(passage=passage, article_id=article, sentence=Sentence(0, len(text), text, weight), weight=weight)


def mention(ev: Evidence, text: str, label: str, occurrence: int = 0) -> Mention:
    """The ``occurrence``-th (0-based) ``text`` in the evidence sentence, labelled ``label``."""
    start = -1
    for _ in range(occurrence + 1):
        start = ev.sentence.text.index(text, start + 1)
    return Mention(ev, start, start + len(text), text, label)
