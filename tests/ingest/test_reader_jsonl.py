"""JSON and JSONL articles, including the RealTime QA search-result shape."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from ingest.models import ArticleDraft, ReadFailure, ReadItem
from ingest.readers.jsonl import read_json, read_jsonl
from ingest.readers.protocol import ReadRequest
from ingest.settings import IngestSettings

ARTICLE = {
    "url": "https://www.usatoday.com/story/news/2024/03/01/quake/1/",
    "title": "Quake hits city",
    "text": "A strong earthquake struck.\n\nNo casualties were reported.",
    "authors": ["Jane Doe", "John Roe"],
    "published_at": "2024-03-01T10:00:00+01:00",
}


def jsonl(*lines: object) -> bytes:
    return "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines).encode()


def read(
    data: bytes | str, reader_settings: IngestSettings, origin: str = "a.jsonl", lines: bool | None = True
) -> list[ReadItem]:
    # lines=True: the JSONL reader; otherwise the JSON reader (one document, or JSONL when the data is that).
    reader = read_jsonl if lines else read_json
    return list(reader(ReadRequest(data, origin, reader_settings)))


def test_a_contract_shaped_line_becomes_a_draft(reader_settings: IngestSettings) -> None:
    [draft] = read(jsonl(ARTICLE), reader_settings)
    assert isinstance(draft, ArticleDraft)
    assert draft.origin == "a.jsonl:1"
    assert draft.title == "Quake hits city"
    assert draft.text == "A strong earthquake struck.\n\nNo casualties were reported."
    assert draft.authors == ["Jane Doe", "John Roe"]
    assert draft.published_at == datetime(2024, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    assert draft.url == ARTICLE["url"]
    assert draft.source == "USA TODAY"


def test_aliases_for_body_byline_date_outlet_and_link_are_understood(reader_settings: IngestSettings) -> None:
    line = {
        "headline": "H",
        "body": "Body.",
        "byline": "By Ann Lee and Bo Chen",
        "pubDate": "Tue, 11 Jan 2022 00:18:00 +0530",
        "outlet": "The Daily",
        "link": "https://daily.example/h",
    }
    [draft] = read(jsonl(line), reader_settings)
    assert isinstance(draft, ArticleDraft)
    assert (draft.title, draft.text, draft.source, draft.url) == ("H", "Body.", "The Daily", "https://daily.example/h")
    assert draft.authors == ["Ann Lee", "Bo Chen"]
    assert draft.published_at == datetime(2022, 1, 11, 0, 18, tzinfo=timezone(timedelta(hours=5, minutes=30)))


def test_an_outlet_object_and_an_unknown_host_are_named_sensibly(reader_settings: IngestSettings) -> None:
    items = read(
        jsonl(
            {"title": "T", "content": "C", "source": {"id": "x", "name": "Wire Co"}},
            {"title": "T", "text": "C", "url": "https://www.example.org/a"},
        ),
        reader_settings,
    )
    assert [i.source for i in items if isinstance(i, ArticleDraft)] == ["Wire Co", "example.org"]


def test_a_jsonl_line_with_invalid_json_fails_alone_and_names_its_line(reader_settings: IngestSettings) -> None:
    items = read(jsonl(ARTICLE, '{"title": "broken",', {**ARTICLE, "title": "Second"}), reader_settings)
    assert [type(i).__name__ for i in items] == ["ArticleDraft", "ReadFailure", "ArticleDraft"]
    failure = items[1]
    assert isinstance(failure, ReadFailure)
    assert failure.origin == "a.jsonl:2"
    assert failure.reason.startswith("invalid JSON: ")


def test_one_latin1_line_does_not_garble_the_utf8_lines_around_it(reader_settings: IngestSettings) -> None:
    utf8 = {**ARTICLE, "title": "Zürich: séisme à 6 h", "text": "Die Erde bebte in Zürich.\n\nNiemand wurde verletzt."}
    latin1 = json.dumps({"title": "Café", "text": "Un café ÿ fermé."}, ensure_ascii=False).encode("latin-1")
    data = (
        json.dumps(utf8, ensure_ascii=False).encode()
        + b"\n"
        + latin1
        + b"\n"
        + b'{"title": "cut \xff\xfe\n'
        + jsonl(ARTICLE)
    )
    first, second, third, fourth = read(data, reader_settings)
    assert (
        isinstance(first, ArticleDraft)
        and first.title == "Zürich: séisme à 6 h"
        and first.text.startswith("Die Erde bebte in Zürich.")
    )
    assert isinstance(second, ArticleDraft) and second.title == "Café" and second.text == "Un café ÿ fermé."
    assert isinstance(third, ReadFailure) and third.origin == "a.jsonl:3" and "invalid JSON" in third.reason
    assert isinstance(fourth, ArticleDraft) and fourth.origin == "a.jsonl:4" and fourth.title == "Quake hits city"


def test_blank_lines_are_skipped_and_line_numbers_stay_true(reader_settings: IngestSettings) -> None:
    items = read(jsonl("", ARTICLE, "   ", "{oops"), reader_settings)
    assert [i.origin for i in items] == ["a.jsonl:2", "a.jsonl:4"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ({"title": "No text"}, "missing field 'text'"),
        ({"text": "No title"}, "missing field 'title'"),
        ({"url": "https://x.example/"}, "missing field 'title' and 'text'"),
        ({"title": "T", "text": "   "}, "field 'text' is empty"),
        ({"title": "T", "text": ["a", "b"]}, "field 'text' must be a string, not list"),
        ({"title": "T", "text": "B", "date": "the other day"}, "unparseable date 'the other day' in field 'date'"),
        (
            {"title": "T", "text": "B", "url": "javascript:alert(1)"},
            "field 'url' is not an http(s) URL: 'javascript:alert(1)'",
        ),
        ([1, 2], "expected a JSON object, got a list"),
    ],
)
def test_a_bad_item_fails_with_the_field_named(line: object, reason: str, reader_settings: IngestSettings) -> None:
    [failure] = read(jsonl(line), reader_settings)
    assert isinstance(failure, ReadFailure)
    assert (failure.origin, failure.reason) == ("a.jsonl:1", reason)


def test_an_explicit_id_is_not_used_as_the_storage_id(reader_settings: IngestSettings) -> None:
    [draft] = read(jsonl({**ARTICLE, "id": "my-own-id"}), reader_settings)
    assert isinstance(draft, ArticleDraft)
    assert "my-own-id" not in draft.model_dump_json()


def test_a_json_file_with_one_object_or_a_list_is_read(reader_settings: IngestSettings) -> None:
    [single] = read(json.dumps(ARTICLE).encode(), reader_settings, origin="a.json", lines=False)
    assert isinstance(single, ArticleDraft) and single.origin == "a.json"
    items = read(json.dumps([ARTICLE, {"title": "No text"}]).encode(), reader_settings, origin="b.json", lines=False)
    assert [(type(i).__name__, i.origin) for i in items] == [("ArticleDraft", "b.json#1"), ("ReadFailure", "b.json#2")]


def test_a_wrapper_object_with_an_articles_list_is_read(reader_settings: IngestSettings) -> None:
    items = read(
        json.dumps({"status": "ok", "articles": [ARTICLE, ARTICLE]}).encode(),
        reader_settings,
        origin="w.json",
        lines=None,
    )
    assert [i.origin for i in items] == ["w.json#1", "w.json#2"]
    assert all(isinstance(i, ArticleDraft) for i in items)


def test_a_json_file_holding_one_object_per_line_is_read_as_jsonl(reader_settings: IngestSettings) -> None:
    items = read(jsonl(ARTICLE, ARTICLE), reader_settings, origin="x.json", lines=None)
    assert [i.origin for i in items] == ["x.json:1", "x.json:2"]


def test_an_invalid_json_file_fails_naming_line_and_column(reader_settings: IngestSettings) -> None:
    [failure] = read(b'{\n  "title": "T",\n  "text": oops\n}', reader_settings, origin="bad.json", lines=False)
    assert isinstance(failure, ReadFailure)
    assert failure.origin == "bad.json"
    assert failure.reason.startswith("invalid JSON: ") and "line 3" in failure.reason


def test_realtimeqa_search_results_become_one_draft_each(reader_settings: IngestSettings) -> None:
    record = {
        "question_id": "20260116_0",
        "search_time": "2026/01/16/23:29",
        "search_result": [
            {
                "url": "https://www.cnn.com/2026/01/15/a",
                "title": "A",
                "text": "Text A.",
                "authors": ["Ann Lee Bo Chen", "Ann Lee", "Bo Chen"],
                "publish_date": "2026/01/15",
            },
            {"url": "https://www.usatoday.com/b", "title": "B", "authors": [], "publish_date": None},
        ],
    }
    items = read(jsonl(record, record), reader_settings, origin="20260116_gcs.jsonl")
    assert [i.origin for i in items] == [
        "20260116_gcs.jsonl:1#1",
        "20260116_gcs.jsonl:1#2",
        "20260116_gcs.jsonl:2#1",
        "20260116_gcs.jsonl:2#2",
    ]
    first, second = items[0], items[1]
    assert isinstance(first, ArticleDraft)
    assert (first.title, first.source, first.published_at) == ("A", "CNN", datetime(2026, 1, 15))
    assert first.authors == ["Ann Lee", "Bo Chen"]
    assert isinstance(second, ReadFailure) and second.reason == "missing field 'text'"


def test_the_realtimeqa_dataset_file_reads_without_surprises(reader_settings: IngestSettings, shared_dir: Path) -> None:
    files = sorted((shared_dir / "datasets").glob("realtimeqa_*/past/2025/*_gcs.jsonl"))
    assert files, "the RealTime QA dataset is missing from ../shared"
    items = read(files[0].read_bytes(), reader_settings, origin=str(files[0]))
    assert sum(isinstance(i, ArticleDraft) for i in items) > 50
    reasons = {i.reason for i in items if isinstance(i, ReadFailure)}
    assert reasons <= {"missing field 'text'"}


def test_an_empty_json_file_fails_as_empty(reader_settings: IngestSettings) -> None:
    [failure] = read(b" \n", reader_settings)
    assert isinstance(failure, ReadFailure) and failure.reason == "empty file"
