"""What the reader model sees: the best evidence sentences, numbered, under their article's title, outlet and date.

A small model reads a few hundred tokens well and eight whole passages badly, so the reader gets the
highest-scoring sentences of all passages (retrieval scored them against the question) until a token
budget is spent. They are shown grouped by article (articles in the order of their best sentence,
sentences in reading order) and numbered 1..m in that order, so the numbers the model cites name
exact, verbatim sentences::

    <article title="Peacekeepers arrive" outlet="Example Wire" date="2022-01-06">
    [1] Russian paratroopers arrived in Kazakhstan on Thursday.
    [2] The troops were sent as peacekeepers of the ...
    </article>

Every ``<`` and ``>`` inside titles and sentences is neutralised (:func:`service.answer.prompts.neutralise`),
so no article can close its fence or open another.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.chunking import sentence_spans
from service.answer.prompts import neutralise, neutralise_attribute
from service.answer.sentence_ends import asks
from service.retrieval.evidence import Passage, Sentence

# English prose runs at about four characters a token in the tokenizers of small instruct models;
# close enough for a budget, and free (the model's own tokenizer would load the model).
CHARS_PER_TOKEN = 4
# Per numbered line: the "[n] " prefix and the line break.
_LINE_OVERHEAD_TOKENS = 2


def approx_tokens(text: str) -> int:
    """Roughly how many tokens ``text`` is: its length in characters over four, rounded up."""
    return -(-len(text) // CHARS_PER_TOKEN)


@dataclass(frozen=True)
class EvidenceSentence:
    """One sentence shown to the reader: its number there, the passage (0-based rank) and the verbatim sentence."""

    n: int
    passage_index: int
    passage: Passage
    sentence: Sentence

    @property
    def text(self) -> str:
        """The sentence, verbatim (``passage.article.text[start:end]``)."""
        return self.sentence.text


def _sentences_of(passage: Passage) -> list[Sentence]:
    """The passage's scored sentences; a passage retrieval did not score is split here, at its own score."""
    if passage.sentences:
        return passage.sentences
    return [
        Sentence(passage.start + s, passage.start + e, passage.text[s:e], passage.score)
        for s, e in sentence_spans(passage.text)
    ]


def _header(passage: Passage) -> str:
    article = passage.article
    title = neutralise_attribute(article.title or "untitled")
    outlet = neutralise_attribute(article.source or "unknown")
    date = article.published_at.date().isoformat() if article.published_at else "unknown"
    return f'<article title="{title}" outlet="{outlet}" date="{date}">'


def select_evidence(passages: list[Passage], budget_tokens: int) -> list[EvidenceSentence]:
    """The best sentences of ``passages`` that fit in ``budget_tokens``, numbered in the order they are shown.

    Best means highest score (the earlier passage on a tie). A sentence that is a question (an explainer's
    subheading: "Who voted against the Epstein files?") is never shown: it reads like the question asked and
    states nothing, and took the place of the sentence with the answer. A sentence whose text was already taken
    (a syndicated copy) is skipped; one too long for what is left of the budget is skipped while
    shorter ones may still fit. Each article's first sentence also pays for the article's header.
    """
    ranked: list[tuple[float, int, int, Sentence]] = []
    for index, passage in enumerate(passages):
        for position, sentence in enumerate(_sentences_of(passage)):
            ranked.append((sentence.score, index, position, sentence))
    ranked.sort(key=lambda item: (-item[0], item[1], item[2]))

    spent = 0
    seen_texts: set[str] = set()
    seen_articles: set[str] = set()
    chosen: list[tuple[int, Sentence]] = []
    for _, index, _, sentence in ranked:
        key = " ".join(sentence.text.split()).casefold()
        if not key or key in seen_texts or asks(sentence.text):  # a question in an article answers none
            continue
        article_id = passages[index].article.id
        cost = approx_tokens(sentence.text) + _LINE_OVERHEAD_TOKENS
        if article_id not in seen_articles:
            cost += approx_tokens(_header(passages[index])) + _LINE_OVERHEAD_TOKENS
        if spent + cost > budget_tokens:
            continue
        spent += cost
        seen_texts.add(key)
        seen_articles.add(article_id)
        chosen.append((index, sentence))

    # Shown by article (in the order of its best sentence), each article's sentences in reading order.
    article_order: dict[str, int] = {}
    for index, _ in chosen:
        article_order.setdefault(passages[index].article.id, len(article_order))
    chosen.sort(key=lambda item: (article_order[passages[item[0]].article.id], item[1].start))
    return _numbered(passages, chosen)


def every_sentence(passages: list[Passage]) -> list[EvidenceSentence]:
    """Every sentence of ``passages``, in passage and reading order, numbered from 1: where an answer that
    may come from beyond the reader's budget (the extractive fallback's) is looked for."""
    return _numbered(
        passages, [(index, sentence) for index, passage in enumerate(passages) for sentence in _sentences_of(passage)]
    )


def _numbered(passages: list[Passage], sentences: list[tuple[int, Sentence]]) -> list[EvidenceSentence]:
    """``sentences`` (passage index, sentence) as evidence numbered from 1, in the order given."""
    return [
        EvidenceSentence(n=n, passage_index=index, passage=passages[index], sentence=sentence)
        for n, (index, sentence) in enumerate(sentences, start=1)
    ]


def format_reader_evidence(evidence: list[EvidenceSentence]) -> str:
    """The numbered sentences fenced by article, as the reader prompt's ``{evidence}``."""
    if not evidence:
        return "(no evidence)"
    lines: list[str] = []
    current: str | None = None
    for item in evidence:
        article_id = item.passage.article.id
        if article_id != current:
            if current is not None:
                lines.append("</article>")
            lines.append(_header(item.passage))
            current = article_id
        lines.append(f"[{item.n}] {neutralise(' '.join(item.text.split()))}")
    lines.append("</article>")
    return "\n".join(lines)
