"""Property: whatever bytes arrive, readers yield drafts or failures and never raise."""

from __future__ import annotations

from typing import get_args

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from ingest.models import ArticleDraft, ReadFailure
from ingest.normalise.authors import parse_authors
from ingest.normalise.dates import DateParseError, parse_date
from ingest.readers.detect import SUFFIX_KINDS, Kind
from ingest.readers.dispatch import READERS, read_as
from ingest.readers.drafts import INTERNAL_ERROR
from ingest.readers.protocol import ReadRequest
from ingest.settings import IngestSettings

SETTINGS = IngestSettings(
    _env_file=None, allow_private_urls=False, max_file_bytes=1_000_000, max_article_chars=1_000_000
)
KINDS = ("text", "html", "json", "jsonl", "feed")

# Raw bytes, plus bytes shaped like each format so the readers get past their first checks.
shaped = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=500).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.builds(lambda t: f"<html><body><p>{t}</p>".encode("utf-8", "surrogatepass"), st.text(max_size=300)),
    st.builds(lambda t: f'{{"title": "{t}", "text": "{t}'.encode("utf-8", "surrogatepass"), st.text(max_size=100)),
    st.builds(
        lambda t: f"<rss><channel><item><title>{t}</title><description>{t}".encode("utf-8", "surrogatepass"),
        st.text(max_size=100),
    ),
)


def test_every_kind_a_source_can_be_detected_as_has_one_reader() -> None:
    assert set(READERS) == set(get_args(Kind)) == set(SUFFIX_KINDS.values()) == set(KINDS)


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=shaped, kind=st.sampled_from(KINDS))
def test_arbitrary_bytes_never_make_a_reader_raise(data: bytes, kind: str) -> None:
    items = list(read_as(kind, ReadRequest(data, "fuzz", SETTINGS)))  # type: ignore[arg-type]
    for item in items:
        assert isinstance(item, ArticleDraft | ReadFailure)
        if isinstance(item, ReadFailure):
            assert not item.reason.startswith(INTERNAL_ERROR), item.reason
        else:
            assert item.text.strip() and item.title.strip()


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_string_is_a_date_or_a_date_parse_error(text: str) -> None:
    try:
        parse_date(text)
    except DateParseError:
        pass


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=120), st.lists(st.text(max_size=40), max_size=5)))
def test_any_byline_gives_a_list_of_non_empty_names(value: str | list[str]) -> None:
    names = parse_authors(value)
    assert all(isinstance(name, str) and name.strip() == name and name for name in names)
    assert len({n.casefold() for n in names}) == len(names)
