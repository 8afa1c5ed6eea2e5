"""Files and folders through ``read_sources``, the entry point the pipeline and CLI use."""

from __future__ import annotations

import json
from pathlib import Path

from ingest.models import ArticleDraft, ReadFailure, ReadItem
from ingest.readers import read_sources
from ingest.settings import IngestSettings

STORY = "Bridge approved\n\nBy Jane Doe\nMarch 3, 2024\n\nThe council approved the bridge.\n"
PAGE = "<html><head><title>Page story</title></head><body><article><p>The page story body text.</p></article></body></html>"
FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
    "<item><title>Feed story</title><link>https://f.example/1</link><description>Feed text.</description></item>"
    "</channel></rss>"
)


def read(sources: list[str | Path], reader_settings: IngestSettings, **kwargs: object) -> list[ReadItem]:
    return list(read_sources([str(s) for s in sources], reader_settings, **kwargs))  # type: ignore[arg-type]


def reasons(items: list[ReadItem]) -> dict[str, str]:
    return {Path(i.origin).name: i.reason for i in items if isinstance(i, ReadFailure)}


def make_archive(root: Path) -> None:
    (root / "b-sub").mkdir()
    (root / "b-sub" / "page.html").write_text(PAGE)
    (root / "a.txt").write_text(STORY)
    (root / "c.jsonl").write_text(json.dumps({"title": "Json story", "text": "Json text."}) + "\n{broken\n")
    (root / "d.rss").write_text(FEED)
    (root / "notes.md").write_text("# Markdown story\n\nMarkdown text.")
    (root / ".hidden.txt").write_text(STORY)
    (root / ".git").mkdir()
    (root / ".git" / "x.txt").write_text(STORY)


def test_the_seed_file_reads_through_the_entry_point(
    reader_settings: IngestSettings, seed_article: Path, seed_lines: list[str]
) -> None:
    [draft] = read([seed_article], reader_settings)
    assert isinstance(draft, ArticleDraft)
    headline, _, byline, dateline = seed_lines[:4]
    assert draft.title == headline
    assert draft.authors == [byline]
    assert draft.place == dateline.split(",")[0]


def test_a_folder_is_read_recursively_in_sorted_order_skipping_hidden_files(
    tmp_path: Path, reader_settings: IngestSettings
) -> None:
    make_archive(tmp_path)
    items = read([tmp_path], reader_settings)
    assert [i.title for i in items if isinstance(i, ArticleDraft)] == [
        "Bridge approved",
        "Page story",
        "Json story",
        "Feed story",
        "Markdown story",
    ]
    assert [i.origin for i in items if isinstance(i, ReadFailure)] == [f"{tmp_path / 'c.jsonl'}:2"]


def test_reading_a_folder_twice_gives_the_same_items(tmp_path: Path, reader_settings: IngestSettings) -> None:
    make_archive(tmp_path)
    assert read([tmp_path], reader_settings) == read([tmp_path], reader_settings)


def test_source_name_overrides_the_outlet_of_every_draft(tmp_path: Path, reader_settings: IngestSettings) -> None:
    make_archive(tmp_path)
    items = read([tmp_path], reader_settings, source_name="Archive Desk")
    assert {i.source for i in items if isinstance(i, ArticleDraft)} == {"Archive Desk"}


def test_bad_files_fail_alone_with_clear_reasons(tmp_path: Path, reader_settings: IngestSettings) -> None:
    (tmp_path / "good.txt").write_text(STORY)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_text("  \n\n\t")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    (tmp_path / "notes.xyz").write_text("Some words that are not any known format.")
    items = read([tmp_path, tmp_path / "missing.txt"], reader_settings)
    assert [i.title for i in items if isinstance(i, ArticleDraft)] == ["Bridge approved"]
    assert reasons(items) == {
        "blank.md": "empty file",
        "empty.txt": "empty file",
        "image.txt": "binary file, not text",
        "missing.txt": "no such file or folder",
        "notes.xyz": "unsupported file type .xyz",
        "report.pdf": "binary file, not text",
    }


def test_a_file_over_the_size_limit_fails_without_being_read(tmp_path: Path, reader_settings: IngestSettings) -> None:
    (tmp_path / "big.txt").write_text(STORY * 10)
    small = reader_settings.model_copy(update={"max_file_bytes": 100})
    [failure] = read([tmp_path / "big.txt"], small)
    assert isinstance(failure, ReadFailure)
    assert failure.reason == "file larger than 100 bytes"


def test_an_article_over_the_character_limit_fails(tmp_path: Path, reader_settings: IngestSettings) -> None:
    (tmp_path / "long.txt").write_text("Title\n\n" + "word " * 50)
    small = reader_settings.model_copy(update={"max_article_chars": 100})
    [failure] = read([tmp_path / "long.txt"], small)
    assert isinstance(failure, ReadFailure)
    assert failure.reason.startswith("article text longer than 100 characters")


def test_an_unknown_suffix_is_sniffed_for_html_feeds_and_json(tmp_path: Path, reader_settings: IngestSettings) -> None:
    (tmp_path / "page.php").write_text(PAGE)
    (tmp_path / "feed.cgi").write_text(FEED)
    (tmp_path / "dump.data").write_text(json.dumps([{"title": "J", "text": "T"}]))
    items = read([tmp_path], reader_settings)
    assert [i.title for i in items if isinstance(i, ArticleDraft)] == ["J", "Feed story", "Page story"]


def test_an_xml_file_holding_a_web_page_goes_to_the_html_reader(
    tmp_path: Path, reader_settings: IngestSettings
) -> None:
    (tmp_path / "page.xml").write_text(
        '<?xml version="1.0"?>' + PAGE.replace("<html>", '<html xmlns="http://www.w3.org/1999/xhtml">')
    )
    [draft] = read([tmp_path / "page.xml"], reader_settings)
    assert isinstance(draft, ArticleDraft)
    assert draft.text == "The page story body text."


def test_legacy_and_utf16_encoded_files_read_correctly(tmp_path: Path, reader_settings: IngestSettings) -> None:
    story = "Café reopens\n\nThe café in Zürich reopened – à la française.\n"
    (tmp_path / "a-cp1252.txt").write_bytes(story.encode("cp1252"))
    (tmp_path / "b-utf16.txt").write_bytes(story.encode("utf-16"))
    (tmp_path / "c-latin1.md").write_bytes("Café\n\nNaïve café.".encode("latin-1"))
    items = read([tmp_path], reader_settings)
    assert [(i.title, i.text) for i in items if isinstance(i, ArticleDraft)] == [
        ("Café reopens", "The café in Zürich reopened – à la française."),
        ("Café reopens", "The café in Zürich reopened – à la française."),
        ("Café", "Naïve café."),
    ]


def test_an_unsupported_url_scheme_fails(reader_settings: IngestSettings) -> None:
    [failure] = read(["ftp://example.com/news.txt"], reader_settings)
    assert isinstance(failure, ReadFailure)
    assert failure.reason.startswith("unsupported URL scheme 'ftp'")
