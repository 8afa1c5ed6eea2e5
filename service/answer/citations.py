"""The citation check every answer passes, whichever answerer wrote it.

- each ``[n]`` must point at a passage the answerer was given; invented ones are dropped;
- each cited sentence must be supported by its passage: some sentence of the passage shares
  enough of its words (lexical support) and means nearly the same (embedding support);
- a sentence left without a supported citation is removed;
- each citation is a verbatim quote with offsets into the stored article text.

Markers are renumbered 1..m in order of first use, so the answer's ``[n]`` match ``citations``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ingest.chunking import sentence_spans
from ingest.embedding import Embedder
from ingest.lexical.tokens import tokenize
from service.answer.models import Citation
from service.retrieval.evidence import Passage, Sentence
from service.stages import staged

_MARKERS = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
_LEADING_MARKERS = re.compile(r"^(?:\s*\[\d+(?:\s*,\s*\d+)*\])+")
_SPACES = re.compile(r"\s+")

LEXICAL_SUPPORT = 0.5
DENSE_SUPPORT = 0.55


@dataclass
class CheckedAnswer:
    """The answer text after the check, its citations, and what the check changed."""

    text: str
    citations: list[Citation]
    notes: list[str] = field(default_factory=list)

    @property
    def supported(self) -> bool:
        """True when at least one sentence survived with a citation."""
        return bool(self.citations)


@staged("citation check")
def check_citations(text: str, passages: list[Passage], embedder: Embedder) -> CheckedAnswer:
    """Verify every ``[n]`` of ``text`` against ``passages`` (passage n is ``passages[n-1]``)."""
    notes: list[str] = []
    claims: list[tuple[str, list[int]]] = []
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        # "... deployed. [1] The next ..." splits after the full stop: markers opening a
        # sentence belong to the one before.
        leading = _LEADING_MARKERS.match(sentence)
        if leading and claims:
            claims[-1][1].extend(_numbers(leading.group(0)))
            sentence = sentence[leading.end() :]
        claim = _SPACES.sub(" ", _MARKERS.sub("", sentence)).strip()
        if claim:
            claims.append((claim, _numbers(sentence)))

    invented = sorted({n for _, ns in claims for n in ns if not 1 <= n <= len(passages)})
    if invented:
        notes.append(f"dropped citation markers that point at no passage: {', '.join(f'[{n}]' for n in invented)}")

    kept: list[tuple[str, list[Sentence], list[int]]] = []
    removed = 0
    for claim, numbers in claims:
        valid = list(dict.fromkeys(n for n in numbers if 1 <= n <= len(passages)))
        quotes: list[Sentence] = []
        sources: list[int] = []
        for n in valid:
            quote = _support(claim, passages[n - 1], embedder)
            if quote is not None:
                quotes.append(quote)
                sources.append(n)
        if quotes:
            kept.append((claim, quotes, sources))
        else:
            removed += 1
    if removed:
        notes.append(f"removed {removed} sentence{'s' if removed > 1 else ''} the cited passages do not support")

    citations: list[Citation] = []
    by_key: dict[tuple[str, int, int], int] = {}
    sentences_out: list[str] = []
    for claim, quotes, sources in kept:
        markers: list[int] = []
        for quote, n in zip(quotes, sources, strict=False):
            article = passages[n - 1].article
            key = (article.id, quote.start, quote.end)
            if key not in by_key:
                by_key[key] = len(citations) + 1
                citations.append(_citation(by_key[key], passages[n - 1], quote))
            if by_key[key] not in markers:
                markers.append(by_key[key])
        sentences_out.append(claim + " " + "".join(f"[{m}]" for m in markers))
    return CheckedAnswer(text=" ".join(sentences_out), citations=citations, notes=notes)


def _numbers(text: str) -> list[int]:
    return [int(n) for group in _MARKERS.findall(text) for n in re.split(r"\s*,\s*", group)]


def _support(claim: str, passage: Passage, embedder: Embedder) -> Sentence | None:
    """The passage sentence that supports ``claim``, or None when none does."""
    article_text = passage.article.text
    # Fast path: the claim is a verbatim sentence of the passage (the extractive answerer's case).
    at = passage.text.find(claim)
    if at >= 0:
        start = passage.start + at
        return Sentence(start, start + len(claim), claim, 1.0)
    candidates = passage.sentences or [
        Sentence(passage.start + s, passage.start + e, passage.text[s:e]) for s, e in sentence_spans(passage.text)
    ]
    if not candidates:
        return None
    claim_terms = set(tokenize([claim])[0])
    if not claim_terms:
        return None
    candidate_terms = tokenize([c.text for c in candidates])
    overlaps = [len(claim_terms.intersection(t)) / len(claim_terms) for t in candidate_terms]
    # A claim may merge two sentences of the passage: judge words against the passage too.
    passage_overlap = len(claim_terms.intersection(tokenize([passage.text])[0])) / len(claim_terms)
    vectors = embedder.encode([claim] + [c.text for c in candidates])
    similarity = vectors[1:] @ vectors[0]
    best = int(np.argmax(np.asarray(overlaps) + similarity))
    lexical_ok = max(overlaps[best], passage_overlap * 0.9) >= LEXICAL_SUPPORT
    if lexical_ok and float(similarity[best]) >= DENSE_SUPPORT:
        chosen = candidates[best]
        return Sentence(chosen.start, chosen.end, article_text[chosen.start : chosen.end], float(similarity[best]))
    return None


def _citation(n: int, passage: Passage, quote: Sentence) -> Citation:
    article = passage.article
    return Citation(
        n=n,
        id=f"{article.id}:{quote.start}-{quote.end}",
        quote=article.text[quote.start : quote.end],
        start=quote.start,
        end=quote.end,
        article=article.to_record(),
    )
