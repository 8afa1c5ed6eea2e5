"""Sentence-level evidence: within the best passages, which sentences answer the question.

A sentence's score mixes its embedding similarity to the question with the share of the
question's (stemmed, stop-word-free) terms it contains, weighted by how rare they are, so
quotes point at the sentence that supports the answer, not a whole chunk.
"""

from __future__ import annotations

import math

import numpy as np

from ingest.chunking import sentence_spans
from ingest.embedding import Embedder
from ingest.lexical.tokens import tokenize
from service.retrieval.evidence import Passage, Sentence
from service.stages import stage, staged

_MIN_CHARS = 12
DENSE_WEIGHT = 0.6
# Embedding sentences is most of an ask's time (about 4 ms a sentence on 2 cores), so only the
# lexically best ``max_embedded`` are embedded, in batches of this many sorted by length: one batch
# pads every sentence to the longest (median 29 word pieces, longest up to 117). bench/sentence_batches.py,
# median over 60 development questions: 24 sentences in one batch 112 ms, in batches of 8 90 ms;
# 16 in batches of 8 64 ms (0.57x), for one development question fewer answered right.
SENTENCE_BATCH = 8
# Past the lexically best MIN_EMBEDDED, a sentence holding at most LEXICAL_FLOOR of the question's
# weighted terms is not embedded either: it would take the model's time to come last. On the 180
# development questions (2026-12-03) this embedded 13.6 sentences an ask instead of 16 (473 word pieces
# instead of 547) with the same answers right (54), the same abstentions and citations; a floor of 0.2
# lost one right answer, keeping only 4 changed what was declined (bench/README.md, "CPU per ask").
MIN_EMBEDDED = 8
LEXICAL_FLOOR = 0.1


@staged("sentence scoring")
def score_sentences(
    question: str,
    passages: list[Passage],
    embedder: Embedder,
    question_vector: np.ndarray,
    max_embedded: int = 16,
    asked_vector: np.ndarray | None = None,
) -> None:
    """Fill ``passage.sentences`` for each passage, each sentence scored against ``question``.

    For a follow-up, ``asked_vector`` embeds the question as the person typed it: a sentence's
    similarity is then the mean of its similarity to the rewrite and to that. The rewrite's
    added words find the story ("they" -> "the CSTO peacekeepers"); the words typed say what is
    asked ("how long ... stay"), and alone they favour the sentence that answers over the one
    that merely names the referent (a "how long" follow-up on the seed article, tests/http).
    """
    q_terms = set(tokenize([question])[0])
    spans: list[tuple[Passage, int, int, str]] = []
    for passage in passages:
        for s, e in sentence_spans(passage.text):
            text = passage.text[s:e]
            if len(text) >= _MIN_CHARS:
                spans.append((passage, passage.start + s, passage.start + e, text))
    if not spans:
        return
    sentence_terms = tokenize([t for _, _, _, t in spans])
    # Rarity of a term among these sentences: a word in every sentence says little.
    df: dict[str, int] = {}
    for terms in sentence_terms:
        for term in set(terms):
            df[term] = df.get(term, 0) + 1
    weight = {t: math.log(1 + len(spans) / df.get(t, 1)) for t in q_terms}
    total = sum(weight.values()) or 1.0
    lexical = [sum(weight[t] for t in q_terms.intersection(terms)) / total for terms in sentence_terms]
    # Embedding every sentence of 8 passages costs more than the rest of a question together;
    # only the lexically most promising ones are embedded, the others get the lowest
    # embedded similarity (they can follow, never lead).
    ranked = sorted(range(len(spans)), key=lambda i: -lexical[i])[:max_embedded]
    order = [i for n, i in enumerate(ranked) if n < MIN_EMBEDDED or lexical[i] > LEXICAL_FLOOR]
    # A sentence repeated across passages (a syndicated copy the diversity step kept, a standard line) is
    # embedded once: its vector is the same wherever it stands.
    texts = [spans[i][3] for i in order]
    distinct = list(dict.fromkeys(texts))
    with stage("encode"):
        vectors = embedder.encode(distinct, batch_size=SENTENCE_BATCH)
    if len(distinct) < len(texts):
        row = {text: n for n, text in enumerate(distinct)}
        vectors = vectors[[row[text] for text in texts]]
    similarity = vectors @ np.asarray(question_vector, dtype=np.float32)
    if asked_vector is not None:
        similarity = (similarity + vectors @ np.asarray(asked_vector, dtype=np.float32)) / 2
    dense = dict(zip(order, similarity.tolist(), strict=False))
    floor = min(dense.values()) if dense else 0.0
    for i, (passage, start, end, text) in enumerate(spans):
        cos = dense.get(i, floor)
        passage.sentences.append(
            Sentence(start, end, text, DENSE_WEIGHT * float(cos) + (1 - DENSE_WEIGHT) * lexical[i])
        )
    for passage in passages:
        passage.sentences.sort(key=lambda s: s.start)
