"""Citation ids: parsing, resolving against a store, the text around a quote, the copyable citation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from http_fakes import FakeStore, make_article

from service.citations import (
    InvalidCitationId,
    citation_text,
    parse_citation_id,
    resolve_citation,
)

TEXT = "First sentence here. The council voted 31 to 14 on Tuesday. The line will have 19 stops."


def test_parse_valid_id() -> None:
    ref = parse_citation_id("0123456789abcdef:21-58")
    assert (ref.article_id, ref.start, ref.end, ref.id) == ("0123456789abcdef", 21, 58, "0123456789abcdef:21-58")


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "zzz",
        "0123456789ABCDEF:1-2",
        "0123456789abcde:1-2",
        "0123456789abcdef:5-5",
        "0123456789abcdef:9-2",
        "0123456789abcdef:1-2x",
        "0123456789abcdef:-1-2",
        "0123456789abcdef:1-99999999999",
        "../../etc/passwd",
        "0123456789abcdef:1-2\n",
    ],
)
def test_parse_rejects_malformed_ids(bad: str) -> None:
    with pytest.raises(InvalidCitationId):
        parse_citation_id(bad)


def test_resolve_gives_exact_quote_and_word_bounded_context() -> None:
    article = make_article(text=TEXT)
    store = FakeStore(article)
    start = TEXT.index("The council")
    end = TEXT.index(" The line")
    found = resolve_citation(store, f"{article.id}:{start}-{end}", context_chars=12)
    assert found is not None
    assert found.quote == TEXT[start:end] == "The council voted 31 to 14 on Tuesday."
    # 12 characters before would start mid-word ("ntence here. "): the partial word is dropped.
    assert found.context_before == "here. "
    assert found.context_after == " The line"
    record = found.record()
    assert set(record) == {"id", "quote", "start", "end", "article", "context_before", "context_after"}
    assert record["article"]["id"] == article.id


def test_resolve_unknown_article_or_out_of_range_is_none() -> None:
    store = FakeStore(make_article(text=TEXT))
    assert resolve_citation(store, "fedcba9876543210:0-5") is None
    assert resolve_citation(store, f"0123456789abcdef:0-{len(TEXT) + 1}") is None


def test_malformed_id_never_reaches_the_store() -> None:
    store = FakeStore(make_article(text=TEXT))
    with pytest.raises(InvalidCitationId):
        resolve_citation(store, "not-an-id")
    assert store.calls == []


def test_citation_text_has_outlet_author_date_quote_url() -> None:
    article = make_article(authors=["Lea Berg", "Omar Haddad"], published_at=datetime(2024, 3, 5, 9, 30, tzinfo=UTC))
    text = citation_text(article, "The council  voted\n31 to 14.")
    assert (
        text
        == "Harbour Times, Lea Berg and Omar Haddad, 5 March 2024: “The council voted 31 to 14.” https://harbour.example/tram"
    )


def test_citation_text_without_outlet_or_url_uses_the_given_link() -> None:
    article = make_article(source=None, url=None, authors=["Anish Kumar"])
    text = citation_text(article, "Quote.", link="http://127.0.0.1:8000/c/x:1-2")
    assert text == "Anish Kumar, 5 March 2024: “Quote.” http://127.0.0.1:8000/c/x:1-2"
