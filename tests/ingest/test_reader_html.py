"""HTML article pages."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ingest.models import ArticleDraft, ReadFailure
from ingest.readers.html import read_html
from ingest.readers.protocol import ReadRequest
from ingest.settings import IngestSettings

BODY = (
    "<p>A strong earthquake struck the city early on Friday, officials said, damaging several old buildings.</p>"
    "<p>No casualties were reported. Rescue teams were sent to the old town where most damage occurred.</p>"
    "<h2>Aftershocks</h2><p>Seismologists warned of aftershocks over the next days.</p>"
)

PAGE = f"""<!doctype html><html><head>
<title>Quake hits city | The Daily</title>
<meta property="og:title" content="Quake hits city">
<meta property="og:site_name" content="The Daily">
<meta property="article:published_time" content="2024-03-01T10:00:00+01:00">
<meta name="author" content="Jane Doe">
<link rel="canonical" href="https://daily.example/news/quake">
</head><body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Quake hits city</h1>{BODY}</article>
<footer>Copyright The Daily</footer></body></html>"""


def read_one(data: bytes | str, reader_settings: IngestSettings, **kwargs: object) -> ArticleDraft | ReadFailure:
    items = list(read_html(ReadRequest(data, "page.html", reader_settings, **kwargs)))  # type: ignore[arg-type]
    assert len(items) == 1
    return items[0]


def test_an_article_page_gives_text_and_metadata_with_time_zone(reader_settings: IngestSettings) -> None:
    draft = read_one(PAGE.encode(), reader_settings)
    assert isinstance(draft, ArticleDraft)
    assert draft.title == "Quake hits city"
    assert draft.authors == ["Jane Doe"]
    assert draft.source == "The Daily"
    assert draft.url == "https://daily.example/news/quake"
    assert draft.published_at == datetime(2024, 3, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    assert draft.text.startswith("A strong earthquake struck the city")
    assert "\n\nNo casualties were reported." in draft.text
    assert "Seismologists warned" in draft.text
    assert "Home" not in draft.text and "Copyright" not in draft.text


def test_json_ld_news_article_metadata_is_used(reader_settings: IngestSettings) -> None:
    page = f"""<html><head><title>Untitled</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@graph": [
  {{"@type": "WebSite", "name": "Site"}},
  {{"@type": "NewsArticle", "headline": "Dam bursts after storm",
    "author": [{{"@type": "Person", "name": "Ann Lee"}}, {{"@type": "Person", "name": "Bo Chen"}}],
    "datePublished": "2023-09-11T06:30:00-04:00", "publisher": {{"@type": "Organization", "name": "River News"}},
    "url": "https://river.example/dam"}}]}}</script>
</head><body><article>{BODY}</article></body></html>"""
    draft = read_one(page, reader_settings)
    assert isinstance(draft, ArticleDraft)
    assert draft.title == "Dam bursts after storm"
    assert draft.authors == ["Ann Lee", "Bo Chen"]
    assert draft.source == "River News"
    assert draft.url == "https://river.example/dam"
    assert draft.published_at == datetime(2023, 9, 11, 6, 30, tzinfo=timezone(timedelta(hours=-4)))


def test_a_well_known_host_names_the_outlet_like_every_other_reader(reader_settings: IngestSettings) -> None:
    page = PAGE.replace("https://daily.example/news/quake", "https://edition.cnn.com/2024/03/01/world/quake")
    draft = read_one(page, reader_settings)
    assert isinstance(draft, ArticleDraft)
    assert draft.source == "CNN"


def test_a_canonical_link_to_the_site_root_is_ignored(reader_settings: IngestSettings) -> None:
    page = PAGE.replace("https://daily.example/news/quake", "https://daily.example/")
    draft = read_one(page, reader_settings, url="https://daily.example/news/quake?utm_source=x")
    assert isinstance(draft, ArticleDraft)
    assert draft.url == "https://daily.example/news/quake?utm_source=x"


def test_a_bad_date_tag_is_skipped_for_the_next_one(reader_settings: IngestSettings) -> None:
    page = PAGE.replace(
        '<meta property="article:published_time" content="2024-03-01T10:00:00+01:00">',
        '<meta property="article:published_time" content="soon"><meta name="date" content="2024-03-02">',
    )
    draft = read_one(page, reader_settings)
    assert isinstance(draft, ArticleDraft)
    assert draft.published_at == datetime(2024, 3, 2)


def test_broken_html_does_not_crash_and_keeps_its_text(reader_settings: IngestSettings) -> None:
    draft = read_one(
        b"<html><body><p>Unclosed paragraph <div><b>bold and <i>broken <p>tail text here</html", reader_settings
    )
    assert isinstance(draft, ArticleDraft)
    assert "Unclosed paragraph" in draft.text and "tail text here" in draft.text


def test_a_page_without_article_text_fails(reader_settings: IngestSettings) -> None:
    failure = read_one(
        b"<html><head><title>Menu</title></head><body><nav>Home</nav><script>x=1</script></body></html>",
        reader_settings,
    )
    assert isinstance(failure, ReadFailure)
    assert failure.reason == "no article text found"


def test_an_empty_page_fails_as_empty(reader_settings: IngestSettings) -> None:
    failure = read_one(b"  \n ", reader_settings)
    assert isinstance(failure, ReadFailure)
    assert failure.reason == "empty file"


def test_the_meta_charset_decodes_a_legacy_page(reader_settings: IngestSettings) -> None:
    page = '<html><head><meta charset="windows-1252"><title>Café</title></head><body><article><p>Le café était très bon.</p></article></body></html>'
    draft = read_one(page.encode("cp1252"), reader_settings)
    assert isinstance(draft, ArticleDraft)
    assert draft.title == "Café"
    assert draft.text == "Le café était très bon."


def test_a_binary_file_named_html_fails_as_not_text(reader_settings: IngestSettings) -> None:
    failure = read_one(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", reader_settings)
    assert isinstance(failure, ReadFailure)
    assert failure.reason == "binary file, not text"
