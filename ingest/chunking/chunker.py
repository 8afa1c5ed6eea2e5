"""Sentence-aware chunking sized in the embedding model's own word pieces.

Every chunk, prefixed with its article's header (title, outlet, date), fits the model's
window *with* the special tokens, so nothing is ever cut off silently by the embedder:

    count(header) + count("\\n\\n") + count(chunk) + specials <= max_tokens

The article is tokenized once, with offsets; sentence and chunk sizes are read off that
single tokenization (a bisect per sentence), never by tokenizing sentences one by one.
That is exact for tokenizers that split words on whitespace and punctuation before
word-piecing (BERT's WordPiece, as in all-MiniLM-L6-v2): the pieces of a span that starts
and ends between words are the same inside the article and on their own. Where a cut has
to fall inside a word (a "sentence" with no whitespace longer than the window), the piece
is counted on its own instead. For any other tokenizer (byte-level BPE, SentencePiece) the
chunks are checked against the real tokenization and re-packed tighter until they fit.

Chunks are built from whole sentences, packed greedily; the next chunk repeats the trailing
sentences of the previous one up to ``overlap_tokens``; when the last chunk comes out small,
the last boundary moves back to even out the final two. A sentence longer than the budget
is cut into even pieces at word-piece boundaries, at whitespace where it can be. ``article.text[c.start:c.end] ==
c.text`` always, and the chunks cover every non-whitespace character of the text.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from typing import Any

from ingest.chunking.sentences import sentence_spans
from ingest.models import Article, Chunk

__all__ = ["Chunker"]

SEPARATOR = "\n\n"
_META_JOIN = " \u00b7 "  # "Outlet · 2022-01-11"
# Pre-tokenizers that split on whitespace (and punctuation) only: counts add up across spans.
_ADDITIVE_PRE_TOKENIZERS = {"BertPreTokenizer", "Whitespace", "WhitespaceSplit", "Punctuation", "Digits"}
_WORD_SPLITTERS = {"BertPreTokenizer", "Whitespace", "WhitespaceSplit"}
# Normalizers that map characters one by one (no prefixing, no replacing across characters).
_LOCAL_NORMALIZERS = {"BertNormalizer", "Lowercase", "NFD", "NFKD", "NFC", "NFKC", "StripAccents", "Strip"}
_MIN_BODY_TOKENS = 8


def _backend_of(tokenizer: Any) -> Any:
    """A private copy of the Rust tokenizer behind a Hugging Face fast tokenizer.

    A copy, because the embedder's calls switch truncation and padding on the shared
    backend; ours must never be truncated, whatever another thread is doing.
    """
    from tokenizers import Tokenizer

    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None and isinstance(tokenizer, Tokenizer):
        backend = tokenizer
    if backend is None:
        raise TypeError("Chunker needs a Hugging Face *fast* tokenizer (one with offset mappings)")
    spec = backend.to_str()
    own = Tokenizer.from_str(spec)
    own.no_truncation()
    own.no_padding()
    return own, json.loads(spec)


def _is_additive(spec: dict[str, Any]) -> bool:
    """Do word-piece counts add up across whitespace for this tokenizer (BERT-style)?"""

    def kinds(part: dict[str, Any] | None, key: str) -> list[str]:
        if not part:
            return []
        if part.get("type") == "Sequence":
            return [str(p.get("type")) for p in part.get(key, [])]
        return [str(part.get("type"))]

    pre = kinds(spec.get("pre_tokenizer"), "pretokenizers")
    norm = kinds(spec.get("normalizer"), "normalizers")
    return (
        bool(pre)
        and all(k in _ADDITIVE_PRE_TOKENIZERS for k in pre)
        and any(k in _WORD_SPLITTERS for k in pre)
        and all(k in _LOCAL_NORMALIZERS for k in norm)
    )


class Chunker:
    """Splits articles into overlapping, sentence-aligned chunks that fit the embedding window."""

    def __init__(self, tokenizer: Any, *, max_tokens: int = 256, overlap_tokens: int = 32, header_max_tokens: int = 40):
        if max_tokens < 16:
            raise ValueError("max_tokens must be at least 16")
        if overlap_tokens < 0 or header_max_tokens < 0:
            raise ValueError("overlap_tokens and header_max_tokens must not be negative")
        self._tok, spec = _backend_of(tokenizer)
        self.max_tokens = max_tokens
        self.overlap_tokens = overlap_tokens
        self.header_max_tokens = header_max_tokens
        self.additive = _is_additive(spec)
        self._specials = self._count("a", specials=True) - self._count("a")
        self._sep_tokens = self._count(SEPARATOR)
        # The body always keeps at least half of the window.
        self._header_limit = min(header_max_tokens, (max_tokens - self._specials - self._sep_tokens) // 2)

    # ----------------------------------------------------------------- tokens
    def _count(self, text: str, specials: bool = False) -> int:
        return len(self._tok.encode(text, add_special_tokens=specials).ids)

    def count_input_tokens(self, text: str) -> int:
        """Word pieces the model sees for ``text``, special tokens included."""
        return self._count(text, specials=True)

    # ----------------------------------------------------------------- header
    def header(self, article: Article) -> str:
        """``Title\\nOutlet · YYYY-MM-DD``, at most ``header_max_tokens`` word pieces.

        A long title is cut at a word boundary first; the outlet and date line is kept
        whole unless it alone is over the limit.
        """
        limit = self._header_limit
        if limit <= 0:
            return ""
        title = " ".join((article.title or "").split())
        meta_parts = []
        if article.source and article.source.strip():
            meta_parts.append(" ".join(article.source.split()))
        if article.published_at is not None:
            meta_parts.append(article.published_at.date().isoformat())
        meta = _META_JOIN.join(meta_parts)
        full = "\n".join(p for p in (title, meta) if p)
        if self._count(full) <= limit:
            return full
        meta_tokens = self._count(meta) if meta else 0
        if not meta or meta_tokens >= limit:
            return self._truncate(full.replace("\n", " "), limit)
        room = limit - meta_tokens
        while room > 0:
            short = self._truncate(title, room)
            candidate = f"{short}\n{meta}" if short else meta
            over = self._count(candidate) - limit
            if over <= 0:
                return candidate
            room -= over
        return meta

    def _truncate(self, text: str, limit: int) -> str:
        """The longest prefix of ``text`` (cut at a space where possible) within ``limit`` pieces."""
        while limit > 0 and text:
            enc = self._tok.encode(text, add_special_tokens=False)
            if len(enc.ids) <= limit:
                return text
            boundary = enc.offsets[limit][0]  # where the first piece that does not fit starts
            space = text.rfind(" ", 0, boundary + 1)
            cut = space if space > 0 else boundary
            text = text[:cut].rstrip(" ,;:-\u2013\u2014\u00b7|/") or text[:cut].rstrip()
        return ""

    def embedding_input(self, header: str, chunk: Chunk) -> str:
        """What the embedder sees for ``chunk``: the header, a blank line, the chunk text."""
        return f"{header}{SEPARATOR}{chunk.text}" if header else chunk.text

    # ----------------------------------------------------------------- split
    def split(self, article: Article) -> list[Chunk]:
        """Overlapping, sentence-aligned chunks of ``article.text``; none for an empty text."""
        text = article.text
        spans = sentence_spans(text)
        if not spans:
            return []
        header = self.header(article)
        reserved = self._specials + (self._count(header) + self._sep_tokens if header else 0)
        budget = self.max_tokens - reserved  # at least half the window: the header is capped
        enc = self._tok.encode(text, add_special_tokens=False)
        tokens = _Tokens(text, enc)
        while True:
            ranges = self._pack(text, spans, tokens, budget)
            if self.additive:
                break
            # Not exactly additive: check against the real tokenization, tighten if needed.
            inputs = [self.embedding_input(header, _bare(text, s, e)) for s, e in ranges]
            worst = max(len(e.ids) for e in self._tok.encode_batch(inputs, add_special_tokens=True))
            if worst <= self.max_tokens or budget <= _MIN_BODY_TOKENS:
                break
            budget = max(_MIN_BODY_TOKENS, budget - (worst - self.max_tokens) - 1)
        return [
            Chunk(article_id=article.id, index=i, start=s, end=e, text=text[s:e]) for i, (s, e) in enumerate(ranges)
        ]

    def _pack(self, text: str, spans: list[tuple[int, int]], tokens: _Tokens, budget: int) -> list[tuple[int, int]]:
        starts, counts, ends, joins = self._units(text, spans, tokens, budget)
        n = len(starts)
        chunks: list[tuple[int, int]] = []  # (first unit, last unit)
        i = 0
        while i < n:
            first = i
            total = counts[i]
            if chunks and joins[i]:
                first = self._with_overlap(chunks[-1][0], i, counts[i], counts, joins, budget)
                total = sum(counts[first : i + 1])
            last = i
            while last + 1 < n and joins[last + 1] and total + counts[last + 1] <= budget:
                last += 1
                total += counts[last]
            chunks.append((first, last))
            i = last + 1
        if len(chunks) >= 2:
            self._rebalance_tail(chunks, counts, joins, budget)
        return [(starts[a], ends[b]) for a, b in chunks]

    def _with_overlap(
        self, prev_first: int, new: int, new_tokens: int, counts: list[int], joins: list[bool], budget: int
    ) -> int:
        """First unit of a chunk whose new content starts at unit ``new`` (``new_tokens`` long).

        The chunk repeats the trailing units of the previous chunk (which began at
        ``prev_first``) totalling at most ``overlap_tokens`` - never all of it, so chunking
        always advances - and only as many as fit in the budget with the new content.
        """
        room = min(self.overlap_tokens, budget - new_tokens)
        first, used = new, 0
        while first - 1 > prev_first and joins[first] and used + counts[first - 1] <= room:
            first -= 1
            used += counts[first]
        return first

    def _rebalance_tail(self, chunks: list[tuple[int, int]], counts: list[int], joins: list[bool], budget: int) -> None:
        """When the last chunk came out small, move the last boundary back to even the two out."""
        prev_first, prev_last = chunks[-2]
        last_first, last_last = chunks[-1]
        tail = sum(counts[last_first : last_last + 1])
        if tail * 2 >= budget or not joins[prev_last + 1]:
            return
        # The previous chunk must keep a unit of its own (not only its overlap).
        floor = max(prev_first + 1, chunks[-3][1] + 2 if len(chunks) >= 3 else 0)
        prev_total = sum(counts[prev_first : prev_last + 1])
        rest = sum(counts[prev_last + 1 : last_last + 1])  # new units of the last chunk
        best = (max(prev_total, tail), prev_last + 1, last_first)
        for q in range(prev_last, floor - 1, -1):  # q: the last chunk's first new unit
            if not joins[q + 1]:
                break
            rest += counts[q]
            prev_total -= counts[q]
            if rest > budget:
                break
            first = self._with_overlap(prev_first, q, rest, counts, joins, budget)
            size = sum(counts[first:q]) + rest
            score = max(prev_total, size)
            if score < best[0]:
                best = (score, q, first)
        _, q, first = best
        chunks[-2] = (prev_first, q - 1)
        chunks[-1] = (first, last_last)

    def _units(
        self, text: str, spans: list[tuple[int, int]], tokens: _Tokens, budget: int
    ) -> tuple[list[int], list[int], list[int], list[bool]]:
        """Sentences as packing units: (starts, token counts, ends, joins-with-previous).

        Sentences whose boundary falls inside a word piece's word (possible only when the
        tokenizer ignores a character Python calls whitespace) are merged; sentences over
        the budget are cut into pieces.
        """
        merged: list[list[int]] = []  # [start, end, first token, end token]
        t = 0
        for s, e in spans:
            t0 = tokens.first_at(s, t)
            t1 = tokens.first_at(e, t0)
            if merged and not tokens.safe_cut(t0, s):
                merged[-1][1] = e
                merged[-1][3] = t1
            else:
                merged.append([s, e, t0, t1])
            t = t1
        starts: list[int] = []
        ends: list[int] = []
        counts: list[int] = []
        joins: list[bool] = []
        for s, e, t0, t1 in merged:
            if t1 - t0 <= budget:
                starts.append(s)
                ends.append(e)
                counts.append(t1 - t0)
                joins.append(True)
            else:
                for piece in self._cut_long(text, s, e, t0, tokens, budget):
                    starts.append(piece[0])
                    ends.append(piece[1])
                    counts.append(piece[2])
                    joins.append(piece[3])
        return starts, counts, ends, joins

    def _cut_long(
        self, text: str, s: int, e: int, t0: int, tokens: _Tokens, budget: int
    ) -> list[tuple[int, int, int, bool]]:
        """Cut the span ``[s, e)`` into pieces of at most ``budget`` pieces: (start, end, count, joins)."""
        pieces: list[tuple[int, int, int, bool]] = []
        pos, t, start_safe = s, t0, True
        t_end = tokens.first_at(e, t0)
        while pos < e:
            if t_end - t <= budget and start_safe:
                pieces.append((pos, e, t_end - t, True))
                break
            remaining = t_end - t
            if remaining > budget:
                # Even pieces rather than full ones and a scrap: aim at remaining / pieces.
                target = -(-remaining // -(-remaining // budget))
                limit = min(t + budget, t + target + max(2, target // 8))
            else:
                target, limit = remaining, t_end
            cut_token, safe = tokens.best_cut(t, limit, t_end, max(1, target // 2))
            cut = tokens.starts[cut_token] if cut_token < t_end else e
            if cut <= pos:  # nothing fits before the next piece: take at least one character
                cut = pos + 1
                safe = False
            end = pos + len(text[pos:cut].rstrip())
            count = cut_token - t
            if not (start_safe and safe):
                # A cut inside a word: count the piece as it will be tokenized, on its own.
                count = self._count(text[pos:end])
                while count > budget and end - pos > 1:
                    enc = self._tok.encode(text[pos:end], add_special_tokens=False)
                    cut = pos + max(1, enc.offsets[budget][0])
                    end = pos + len(text[pos:cut].rstrip())
                    safe = False
                    count = self._count(text[pos:end])
            pieces.append((pos, end, count, start_safe))
            next_pos = cut
            while next_pos < e and text[next_pos].isspace():
                next_pos += 1
            pos = next_pos
            t = tokens.first_at(pos, t)
            start_safe = safe and tokens.safe_cut(t, pos)
        return pieces


class _Tokens:
    """Offsets of one tokenization of the whole article, and what they say about cuts."""

    __slots__ = ("ends", "n", "starts", "text", "words")

    def __init__(self, text: str, enc: Any):
        self.text = text
        offsets = enc.offsets
        self.starts = [o[0] for o in offsets]
        self.ends = [o[1] for o in offsets]
        self.words = enc.word_ids
        self.n = len(offsets)

    def first_at(self, pos: int, lo: int = 0) -> int:
        """Index of the first token starting at or after ``pos``."""
        return bisect_left(self.starts, pos, lo)

    def safe_cut(self, t: int, pos: int) -> bool:
        """Is a cut at ``pos`` (before token ``t``) between words, so counts add up across it?"""
        if t == 0:
            return True
        if self.ends[t - 1] > pos:
            return False
        return t >= self.n or self.words[t - 1] != self.words[t]

    def best_cut(self, t: int, limit: int, t_end: int, lookback: int) -> tuple[int, bool]:
        """Token index to cut before, in ``(t, limit]``: at whitespace if possible, else between words.

        Looks back at most ``lookback`` tokens, so pieces stay well filled; failing both, cuts
        between two pieces of one word (unsafe: the caller recounts that piece).
        """
        text, starts = self.text, self.starts
        floor = max(t + 1, limit - lookback)
        between_words = None
        for j in range(limit, floor - 1, -1):
            if j >= t_end:
                return j, True
            if self.safe_cut(j, starts[j]):
                if starts[j] > 0 and text[starts[j] - 1].isspace():
                    return j, True
                if between_words is None:
                    between_words = j
        if between_words is not None:
            return between_words, True
        return max(limit, t + 1), False


def _bare(text: str, start: int, end: int) -> Chunk:
    return Chunk(article_id="", index=0, start=start, end=end, text=text[start:end])
