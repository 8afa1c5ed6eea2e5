"""Plain-text and Markdown articles."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from ingest.models import ArticleDraft, ReadFailure
from ingest.readers.plaintext import read_plaintext
from ingest.readers.protocol import ReadRequest
from ingest.settings import IngestSettings

IST = timezone(timedelta(hours=5, minutes=30))


def read_one(
    data: bytes | str, reader_settings: IngestSettings, origin: str = "story.txt"
) -> ArticleDraft | ReadFailure:
    items = list(read_plaintext(ReadRequest(data, origin, reader_settings)))
    assert len(items) == 1
    return items[0]


def test_the_seed_article_gives_title_byline_place_and_exact_time(
    reader_settings: IngestSettings, seed_article: Path, seed_lines: list[str]
) -> None:
    draft = read_one(seed_article.read_bytes(), reader_settings, origin=str(seed_article))
    assert isinstance(draft, ArticleDraft)
    headline, _, byline, dateline = seed_lines[:4]
    assert draft.title == headline
    assert draft.authors == [byline]
    assert draft.place == dateline.split(",")[0]
    assert draft.published_at == datetime(2022, 1, 11, 0, 18, tzinfo=IST)
    assert draft.published_at is not None and draft.published_at.utcoffset() == timedelta(hours=5, minutes=30)
    assert draft.origin == str(seed_article)


def test_the_seed_text_is_the_dedented_body_with_the_standfirst_first(
    reader_settings: IngestSettings, seed_article: Path, seed_lines: list[str]
) -> None:
    draft = read_one(seed_article.read_bytes(), reader_settings)
    assert isinstance(draft, ArticleDraft)
    paragraphs = draft.text.split("\n\n")
    standfirst, byline, first_paragraph = seed_lines[1], seed_lines[2], seed_lines[4]
    assert paragraphs[0] == standfirst
    assert paragraphs[1] == first_paragraph
    assert "Collective Security Treaty Organization" in draft.text
    assert byline not in draft.text and "First Published" not in draft.text
    assert draft.title not in draft.text
    assert not any(line.startswith(" ") or line.endswith(" ") for line in draft.text.split("\n"))
    assert "\u00a0" not in draft.text


def test_a_title_and_body_without_byline_or_dateline_is_an_article(reader_settings: IngestSettings) -> None:
    draft = read_one("Ceasefire holds\n\nThe ceasefire held overnight.\n\nTalks resume today.", reader_settings)
    assert isinstance(draft, ArticleDraft)
    assert draft.title == "Ceasefire holds"
    assert draft.text == "The ceasefire held overnight.\n\nTalks resume today."
    assert draft.authors == [] and draft.published_at is None and draft.place is None


def test_a_markdown_heading_byline_and_utc_dateline_are_read(reader_settings: IngestSettings) -> None:
    text = "# Quake hits city\n\nBy Jane Doe and John Roe\nPublished: 2024-03-01 10:00 UTC\n\nA quake hit.\n\n## Aftermath\n\nMore."
    draft = read_one(text.encode(), reader_settings, origin="quake.md")
    assert isinstance(draft, ArticleDraft)
    assert draft.title == "Quake hits city"
    assert draft.authors == ["Jane Doe", "John Roe"]
    assert draft.published_at == datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
    assert draft.text == "A quake hit.\n\n## Aftermath\n\nMore."


def test_a_wire_dateline_gives_place_and_agency_and_stays_in_the_text(reader_settings: IngestSettings) -> None:
    draft = read_one("Rates on hold\n\nLONDON (Reuters) - The Bank of England kept rates on hold.", reader_settings)
    assert isinstance(draft, ArticleDraft)
    assert draft.place == "London"
    assert draft.source == "Reuters"
    assert draft.text.startswith("LONDON (Reuters) - The Bank")


def test_a_name_with_a_known_outlet_is_a_byline(reader_settings: IngestSettings) -> None:
    draft = read_one("Rates on hold\n\nJane Doe, Reuters\nMarch 3, 2024\n\nThe bank held rates.", reader_settings)
    assert isinstance(draft, ArticleDraft)
    assert draft.authors == ["Jane Doe"]
    assert draft.source == "Reuters"
    assert draft.published_at == datetime(2024, 3, 3)
    assert draft.text == "The bank held rates."


def test_an_updated_line_dates_the_article_when_nothing_else_does(reader_settings: IngestSettings) -> None:
    draft = read_one("Title\n\nUpdated Jan 2, 2023\n\nBody text.", reader_settings)
    assert isinstance(draft, ArticleDraft)
    assert draft.published_at == datetime(2023, 1, 2)
    assert draft.text == "Body text."


def test_the_published_date_wins_over_the_updated_one(reader_settings: IngestSettings) -> None:
    draft = read_one("Title\nBy Jane Doe | Updated March 5, 2024 | Published March 3, 2024\nBody.", reader_settings)
    assert isinstance(draft, ArticleDraft)
    assert draft.authors == ["Jane Doe"]
    assert draft.published_at == datetime(2024, 3, 3)


def test_a_short_subheading_is_not_mistaken_for_a_byline(reader_settings: IngestSettings) -> None:
    draft = read_one("Headline here\n\nWhat Happened Next\n\nThe body.", reader_settings)
    assert isinstance(draft, ArticleDraft)
    assert draft.authors == []
    assert draft.text == "What Happened Next\n\nThe body."


def test_front_matter_gives_metadata_and_is_not_text(reader_settings: IngestSettings) -> None:
    text = (
        '---\ntitle: "Budget passes"\nauthor: [Ann Lee, Bo Chen]\ndate: 2024-03-01T09:30:00+01:00\n'
        "source: The Daily\nurl: https://daily.example/budget\n---\n# Budget passes\n\nThe budget passed."
    )
    draft = read_one(text, reader_settings, origin="budget.md")
    assert isinstance(draft, ArticleDraft)
    assert draft.title == "Budget passes"
    assert draft.authors == ["Ann Lee", "Bo Chen"]
    assert draft.published_at == datetime(2024, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    assert draft.source == "The Daily"
    assert draft.url == "https://daily.example/budget"
    assert draft.text == "The budget passed."


def test_an_unparseable_front_matter_date_fails_the_article_and_says_so(reader_settings: IngestSettings) -> None:
    failure = read_one("---\ntitle: T\ndate: the other day\n---\nBody", reader_settings, origin="x.md")
    assert isinstance(failure, ReadFailure)
    assert failure.origin == "x.md"
    assert failure.reason == "unparseable date 'the other day'"


def test_a_file_opening_with_a_paragraph_gets_its_first_line_as_title(reader_settings: IngestSettings) -> None:
    draft = read_one(
        "This is a hard-wrapped opening\nparagraph with no headline.\n\nSecond paragraph.", reader_settings
    )
    assert isinstance(draft, ArticleDraft)
    assert draft.title == "This is a hard-wrapped opening"
    assert draft.text.startswith("This is a hard-wrapped opening\nparagraph")


@pytest.mark.parametrize("data", [b"   \n\t\n  ", b"", "\n\n"])
def test_an_empty_or_blank_file_fails_as_empty(data: bytes | str, reader_settings: IngestSettings) -> None:
    failure = read_one(data, reader_settings)
    assert isinstance(failure, ReadFailure)
    assert failure.reason == "empty file"


def test_a_title_alone_is_not_an_article(reader_settings: IngestSettings) -> None:
    failure = read_one("Just a headline\n", reader_settings)
    assert isinstance(failure, ReadFailure)
    assert failure.reason == "only a title, no article text"


def test_a_binary_file_fails_as_not_text(reader_settings: IngestSettings) -> None:
    failure = read_one(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", reader_settings)
    assert isinstance(failure, ReadFailure)
    assert failure.reason == "binary file, not text"


def test_a_windows_1252_file_with_accents_reads_correctly(reader_settings: IngestSettings) -> None:
    draft = read_one("Café society\n\nThe café reopened in Zürich – à la française.".encode("cp1252"), reader_settings)
    assert isinstance(draft, ArticleDraft)
    assert draft.title == "Café society"
    assert draft.text == "The café reopened in Zürich – à la française."


def test_a_utf16_file_with_bom_reads_correctly(reader_settings: IngestSettings) -> None:
    draft = read_one("Café society\r\n\r\nThe café reopened.".encode("utf-16"), reader_settings)
    assert isinstance(draft, ArticleDraft)
    assert (draft.title, draft.text) == ("Café society", "The café reopened.")


def test_an_article_longer_than_the_limit_fails(reader_settings: IngestSettings) -> None:
    small = reader_settings.model_copy(update={"max_article_chars": 100})
    failure = read_one("Title\n\n" + "word " * 100, small)
    assert isinstance(failure, ReadFailure)
    assert failure.reason.startswith("article text longer than 100 characters")
