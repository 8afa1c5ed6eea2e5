"""RSS and Atom feeds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from ingest.models import ArticleDraft, ReadFailure, ReadItem
from ingest.readers.feeds import read_feed
from ingest.readers.protocol import ReadRequest
from ingest.settings import IngestSettings

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>The Daily - World</title><link>https://daily.example/</link>
<item><title>Full story</title><link>https://daily.example/full</link><dc:creator>Jane Doe</dc:creator>
  <pubDate>Tue, 11 Jan 2022 00:18:00 +0530</pubDate><description>Short teaser.</description>
  <content:encoded><![CDATA[<p>First paragraph of the story.</p><p>Second <b>paragraph</b>.</p><script>x()</script>]]></content:encoded></item>
<item><title>Teaser only</title><link>https://daily.example/teaser</link><author>ann@daily.example (Ann Lee)</author>
  <pubDate>Wed, 12 Jan 2022 08:00:00 GMT</pubDate><description>Just a &lt;b&gt;summary&lt;/b&gt;.</description></item>
<item><description>An untitled note with text.</description></item>
<item><link>https://daily.example/nothing</link></item>
<item><title>Bad date</title><link>https://daily.example/bad-date</link><pubDate>the other day</pubDate><description>Text.</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Times</title><id>urn:x</id><updated>2024-03-01T10:00:00Z</updated>
<entry><title>Atom entry</title><link href="https://atom.example/e1"/><id>urn:e1</id>
  <author><name>Bo Chen</name></author><published>2024-03-01T09:30:00-05:00</published><updated>2024-03-02T00:00:00Z</updated>
  <content type="html">&lt;p&gt;Atom body one.&lt;/p&gt;&lt;p&gt;Atom body two.&lt;/p&gt;</content></entry>
</feed>"""


def read(data: bytes, reader_settings: IngestSettings, **kwargs: object) -> list[ReadItem]:
    return list(read_feed(ReadRequest(data, "feed.xml", reader_settings, **kwargs)))  # type: ignore[arg-type]


def test_each_rss_entry_becomes_a_draft_or_fails_alone(reader_settings: IngestSettings) -> None:
    items = read(RSS, reader_settings)
    assert [type(i).__name__ for i in items] == [
        "ArticleDraft",
        "ArticleDraft",
        "ArticleDraft",
        "ReadFailure",
        "ReadFailure",
    ]


def test_an_entry_with_full_content_keeps_paragraphs_byline_and_zone(reader_settings: IngestSettings) -> None:
    full = read(RSS, reader_settings)[0]
    assert isinstance(full, ArticleDraft)
    assert full.origin == "https://daily.example/full"
    assert full.title == "Full story"
    assert full.text == "First paragraph of the story.\n\nSecond paragraph."
    assert full.authors == ["Jane Doe"]
    assert full.published_at == datetime(2022, 1, 11, 0, 18, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    assert full.url == "https://daily.example/full"
    assert full.source == "The Daily - World"
    assert full.summary_only is False


def test_a_summary_only_entry_is_marked_and_uses_the_summary(reader_settings: IngestSettings) -> None:
    teaser = read(RSS, reader_settings)[1]
    assert isinstance(teaser, ArticleDraft)
    assert teaser.summary_only is True
    assert teaser.text == "Just a summary."
    assert teaser.authors == ["Ann Lee"]
    assert teaser.published_at == datetime(2022, 1, 12, 8, 0, tzinfo=UTC)


def test_an_untitled_entry_with_text_gets_a_title_from_its_text(reader_settings: IngestSettings) -> None:
    note = read(RSS, reader_settings)[2]
    assert isinstance(note, ArticleDraft)
    assert note.origin == "feed.xml#3"
    assert note.title == "An untitled note with text."


def test_an_entry_with_neither_title_nor_text_fails_naming_its_link(reader_settings: IngestSettings) -> None:
    failure = read(RSS, reader_settings)[3]
    assert isinstance(failure, ReadFailure)
    assert (failure.origin, failure.reason) == ("https://daily.example/nothing", "feed entry without title or text")


def test_an_entry_with_an_unparseable_date_fails_alone(reader_settings: IngestSettings) -> None:
    failure = read(RSS, reader_settings)[4]
    assert isinstance(failure, ReadFailure)
    assert failure.reason == "unparseable date 'the other day'"


def test_a_title_only_entry_fails_with_a_hint_to_fetch(reader_settings: IngestSettings) -> None:
    feed = RSS.replace(
        b"<item><link>https://daily.example/nothing</link></item>",
        b"<item><title>Headline only</title><link>https://daily.example/h</link></item>",
    )
    failure = read(feed, reader_settings)[3]
    assert isinstance(failure, ReadFailure)
    assert "--fetch" in failure.reason


def test_an_atom_entry_is_read_with_its_published_date_and_zone(reader_settings: IngestSettings) -> None:
    [entry] = read(ATOM, reader_settings)
    assert isinstance(entry, ArticleDraft)
    assert entry.title == "Atom entry"
    assert entry.text == "Atom body one.\n\nAtom body two."
    assert entry.authors == ["Bo Chen"]
    assert entry.published_at == datetime(2024, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert entry.source == "Atom Times"


def test_a_malformed_feed_fails_as_a_whole_naming_the_file(reader_settings: IngestSettings) -> None:
    [failure] = read(b'<rss version="2.0"><channel><title>Broken</title></chan', reader_settings)
    assert isinstance(failure, ReadFailure)
    assert failure.origin == "feed.xml"
    assert failure.reason.startswith("not a readable RSS or Atom feed")


def test_a_slightly_malformed_feed_still_yields_the_entries_it_holds(reader_settings: IngestSettings) -> None:
    feed = b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><title>E</title><content>Body &nbsp; text</content></entry>'
    [entry] = read(feed, reader_settings)
    assert isinstance(entry, ArticleDraft)
    assert (entry.title, " ".join(entry.text.split())) == ("E", "Body text")


def test_a_document_that_is_not_a_feed_fails(reader_settings: IngestSettings) -> None:
    [failure] = read(b"just some words, no markup", reader_settings)
    assert isinstance(failure, ReadFailure)
    assert failure.origin == "feed.xml"


def test_an_empty_feed_file_fails_as_empty(reader_settings: IngestSettings) -> None:
    [failure] = read(b"  \n", reader_settings)
    assert isinstance(failure, ReadFailure) and failure.reason == "empty file"
