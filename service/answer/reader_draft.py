"""From the reader's JSON to a draft whose citations are verbatim by construction.

The model only *points*: its short answer must stand in one of the evidence sentences it was shown
(or in the headline one was shown under), and the draft's text is those sentences, copied from the
articles with their passages' ``[n]`` markers. The model's own ``sentence`` replaces them only when it
names the short answer and the citation check finds it supported by the cited passages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from ingest.embedding import Embedder
from service.answer.citations import check_citations
from service.answer.reader_context import EvidenceSentence
from service.answer.reader_reply import ReaderReply, ReaderReplyWithSentence

# At most this many verbatim sentences make the answer (as the extractive answerer's).
MAX_SENTENCES = 3
# What small models write instead of the empty string the prompt asks for when the evidence is silent.
_DECLINES = frozenset({"", "not found", "not_found", "none", "unknown", "n/a", "no answer", "null"})
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})
_EDGES = " \t\n\"'.,;:!?()[]"
# What joins the items of a list answer, in the model's short answer or in a sentence.
_LIST_JOIN = re.compile(r"\s*(?:[,;&]|\band\b)\s*")
_LIST_GAP = r"(?:\s*(?:[,;&]|\band\b)\s*)+"


def normalise(text: str) -> str:
    """``text`` for matching: Unicode-normalised, case-folded, curly quotes and dashes made plain, spaces collapsed."""
    plain = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(plain.split())


def clean_short_answer(value: str) -> str:
    """The short answer without surrounding quotes, punctuation or spaces."""
    return " ".join(value.split()).strip(_EDGES)


def declines(reply: ReaderReply) -> bool:
    """Whether the reply says the evidence does not answer (an empty short answer, or its look-alikes)."""
    return normalise(clean_short_answer(reply.short_answer)) in _DECLINES


def states(sentence: str, short_answer: str) -> bool:
    """Whether ``sentence`` contains ``short_answer`` as words (normalised), not inside a longer word.

    A list answer counts when the sentence lists the same items in the same order, whatever joins them
    ("Russia, Armenia and Belarus" states "Russia, Armenia, Belarus"): models rewrite a list's joins.
    """
    items = [item for item in _LIST_JOIN.split(normalise(short_answer)) if item]
    if not items:
        return False
    pattern = _LIST_GAP.join(re.escape(item) for item in items)
    return re.search(r"(?<!\w)" + pattern + r"(?!\w)", normalise(sentence)) is not None


@dataclass(frozen=True)
class ReaderDraft:
    """The text of a draft (sentences with passage markers), its short answer, and whether the model's
    own sentence was kept."""

    text: str
    short_answer: str
    model_sentence_kept: bool


def headline_states(item: EvidenceSentence, short_answer: str) -> bool:
    """Whether the headline the sentence was shown under (its article's title) states ``short_answer``."""
    return states(item.passage.article.title or "", short_answer)


def supporting_evidence(reply: ReaderReply, shown: list[EvidenceSentence]) -> list[EvidenceSentence]:
    """The shown sentences that state the short answer: those the model cited, in its order; when it cited
    none that does (a small model often names the right thing and the wrong number), the shown sentence
    that states it and scored best. Failing both, the same two tiers over the sentences whose headline
    states it: the reader sees each sentence under its headline, and a story's sentences often name by
    surname or "the country" whom its headline names in full. Empty: the short answer is in no evidence
    sentence nor in the headline of one."""
    short = clean_short_answer(reply.short_answer)
    by_number = {item.n: item for item in shown}
    cited = [by_number[n] for n in dict.fromkeys(reply.evidence) if n in by_number]
    for stated in (lambda item: states(item.text, short), lambda item: headline_states(item, short)):
        supporting = [item for item in cited if stated(item)] or _best(shown, stated)
        if supporting:
            return supporting[:MAX_SENTENCES]
    return []


def best_stating(short_answer: str, sentences: list[EvidenceSentence]) -> list[EvidenceSentence]:
    """The best-scored of ``sentences`` that states ``short_answer``, else the best whose headline states it
    (as :func:`supporting_evidence` falls back to when the model cites none); empty when none does."""
    short = clean_short_answer(short_answer)
    return _best(sentences, lambda item: states(item.text, short)) or _best(
        sentences, lambda item: headline_states(item, short)
    )


def _best(sentences: list[EvidenceSentence], stated: Callable[[EvidenceSentence], bool]) -> list[EvidenceSentence]:
    return sorted((item for item in sentences if stated(item)), key=lambda item: -item.sentence.score)[:1]


def build_draft(
    reply: ReaderReply, shown: list[EvidenceSentence], embedder: Embedder | None = None
) -> ReaderDraft | None:
    """The draft text for ``reply`` (which does not decline), or None when its short answer is in no shown
    sentence nor headline (:func:`supporting_evidence`). With an ``embedder``, the model's ``sentence`` (if it
    wrote one) is kept when it names the short answer and passes the citation check against the supporting
    sentences' passages."""
    short = clean_short_answer(reply.short_answer)
    supporting = supporting_evidence(reply, shown)
    if not supporting:
        return None
    by_passage = {item.passage_index: item.passage for item in supporting}  # each passage once, in order
    passages = list(by_passage.values())
    markers = "".join(f"[{index + 1}]" for index in by_passage)
    written = " ".join((reply.sentence or "").split()) if isinstance(reply, ReaderReplyWithSentence) else ""
    if embedder is not None and written and states(written, short):
        # The check numbers passages from 1: the supporting passages, in order.
        local = "".join(f"[{n}]" for n in range(1, len(passages) + 1))
        checked = check_citations(f"{written} {local}", passages, embedder)
        if checked.supported and not checked.notes:
            return ReaderDraft(text=f"{written} {markers}", short_answer=short, model_sentence_kept=True)
    text = " ".join(f"{item.text} [{item.passage_index + 1}]" for item in supporting)
    return ReaderDraft(text=text, short_answer=short, model_sentence_kept=False)
