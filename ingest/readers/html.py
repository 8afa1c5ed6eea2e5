"""HTML article pages: main text through trafilatura, metadata from the page's own tags.

Text: trafilatura finds the article body; its paragraphs, headings, list items and table rows each
become a paragraph. When it finds nothing, the JSON-LD ``articleBody`` is used, then the text of
``<article>``/``<main>``/``[itemprop=articleBody]``/``<body>`` without navigation, header, footer and
asides. A page with none of these is a failure, "no article text found".

Metadata, first found wins:

- title: JSON-LD ``headline``, ``og:title``, trafilatura, ``<title>``, the first ``<h1>``;
- authors: JSON-LD ``author``, ``<meta name=author>`` and similar, trafilatura;
- date: JSON-LD ``datePublished``, ``article:published_time``, other date metas, ``<time itemprop=datePublished>``,
  then trafilatura's (date only). Time zones are kept where the page gives them. A garbled
  candidate is skipped for the next one: pages carry many date tags, and one bad tag must not fail
  an otherwise good article;
- outlet: a well-known host's name (so every reader names CNN "CNN"), JSON-LD ``publisher.name``,
  ``og:site_name``, trafilatura's site name, then the host;
- URL: ``<link rel=canonical>``, ``og:url``, JSON-LD ``url``, then the address the page came from.
  A canonical URL that points at a site's root is ignored: some sites set it on every page, and it
  would merge all their articles into one id.

Broken markup never raises; it yields whatever text can be recovered, or a failure.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from ingest.models import ReadFailure, ReadItem
from ingest.normalise.authors import parse_authors
from ingest.normalise.dates import DateParseError, parse_date
from ingest.normalise.htmltext import element_text
from ingest.normalise.outlets import known_host_outlet
from ingest.normalise.text import NotText, decode_bytes
from ingest.readers.drafts import build_draft, guarded, one_line
from ingest.readers.protocol import ReadRequest

__all__ = ["PageMeta", "page_metadata", "read_html", "sniff_charset"]

log = logging.getLogger(__name__)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "blogposting",
    "liveblogposting",
    "socialmediaposting",
    "scholarlyarticle",
    "techarticle",
    "report",
}
_TITLE_SUFFIX = re.compile(r"\s+[|\-–—:]\s+[^|\-–—:]{2,60}$")
_MIN_FALLBACK_CHARS = 1
_TRAFILATURA_MAX_TREE = 200_000


def sniff_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag near its start, if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


class PageMeta:
    """Metadata candidates gathered from a page's tags, before choosing among them."""

    def __init__(self) -> None:
        self.titles: list[str] = []
        self.authors: list[Any] = []
        self.dates: list[str] = []
        self.outlets: list[str] = []
        self.urls: list[str] = []
        self.bodies: list[str] = []


def _meta(root: etree._Element, *names: str) -> list[str]:
    wanted = {n.lower() for n in names}
    found = []
    for node in root.iter("meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").strip().lower()
        if key in wanted:
            content = (node.get("content") or "").strip()
            if content:
                found.append(content)
    return found


def _json_ld_objects(root: etree._Element) -> Iterator[dict[str, Any]]:
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except (ValueError, RecursionError):
            continue  # hand-written JSON-LD is often invalid; other tags remain
        stack = [data]
        seen = 0
        while stack and seen < 500:
            seen += 1
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)


def _is_article(obj: dict[str, Any]) -> bool:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds)


def _name(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return value["name"]
    if isinstance(value, list) and value:
        return _name(value[0])
    return None


def page_metadata(root: etree._Element, base_url: str | None) -> PageMeta:
    """Collect title, author, date, outlet, URL and body candidates from a parsed page, best first."""
    meta = PageMeta()
    for obj in _json_ld_objects(root):
        if not _is_article(obj):
            continue
        if isinstance(obj.get("headline"), str):
            meta.titles.append(obj["headline"])
        if obj.get("author"):
            meta.authors.append(obj["author"] if isinstance(obj["author"], list) else [obj["author"]])
        for key in ("datePublished", "dateCreated"):
            if isinstance(obj.get(key), str):
                meta.dates.append(obj[key])
        publisher = _name(obj.get("publisher"))
        if publisher:
            meta.outlets.append(publisher)
        entity = obj.get("mainEntityOfPage")
        entity_url = entity.get("@id") if isinstance(entity, dict) else entity
        for candidate in (obj.get("url"), entity_url):
            if isinstance(candidate, str):
                meta.urls.append(candidate)
        if isinstance(obj.get("articleBody"), str):
            meta.bodies.append(obj["articleBody"])

    meta.titles += _meta(root, "og:title", "twitter:title", "title", "dc.title", "headline")
    for author in _meta(
        root, "author", "article:author", "byl", "parsely-author", "sailthru.author", "dc.creator", "cxenseparse:author"
    ):
        if not author.startswith(("http://", "https://")):
            meta.authors.append(author)
    meta.dates += _meta(
        root,
        "article:published_time",
        "og:article:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "publish-date",
        "date",
        "dc.date",
        "dc.date.issued",
        "sailthru.date",
        "parsely-pub-date",
        "article.published",
    )
    for node in root.iter("time"):
        is_published = (node.get("itemprop") or "").lower() == "datepublished" or node.get("pubdate") is not None
        if is_published and node.get("datetime"):
            meta.dates.append(node.get("datetime", ""))
    meta.outlets += _meta(root, "og:site_name", "application-name", "publisher")
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            meta.urls.insert(0, link.get("href", ""))
    meta.urls[1:1] = _meta(root, "og:url")
    meta.urls = [urljoin(base_url or "", u.strip()) for u in meta.urls if u.strip()]
    return meta


def _article_url(candidates: list[str], fallback: str | None) -> str | None:
    for candidate in candidates:
        parts = urlsplit(candidate)
        if parts.scheme in ("http", "https") and parts.netloc and parts.path not in ("", "/"):
            return candidate
    return fallback


def _first_date(candidates: list[str]) -> datetime | None:
    for candidate in candidates:
        try:
            when = parse_date(candidate)
        except DateParseError:
            continue
        if when is not None:
            return when
    return None


def _trafilatura(html_text: str, url: str | None) -> tuple[str, dict[str, Any]]:
    """Main text (paragraphs separated by blank lines) and metadata from trafilatura; empty on failure."""
    import trafilatura  # imported late: it is slow to import and only pages need it

    try:
        doc = trafilatura.bare_extraction(
            html_text,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            max_tree_size=_TRAFILATURA_MAX_TREE,
        )
    except Exception:
        log.debug("trafilatura failed", exc_info=True)
        return "", {}
    if doc is None:
        return "", {}
    info = {key: getattr(doc, key, None) for key in ("title", "author", "date", "sitename", "url")}
    body = getattr(doc, "body", None)
    if body is None:
        return (getattr(doc, "text", None) or ""), info
    blocks: list[str] = []
    for child in body:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "list":
            items = ["".join(item.itertext()).strip() for item in child.iter("item")]
            blocks.extend(item for item in items if item)
        elif tag == "table":
            for row in child.iter("row"):
                cells = [" ".join("".join(cell.itertext()).split()) for cell in row.iter("cell")]
                line = " | ".join(cell for cell in cells if cell)
                if line:
                    blocks.append(line)
        else:
            blocks.append(_with_line_breaks(child).strip())
    return "\n\n".join(block for block in blocks if block), info


def _with_line_breaks(node: etree._Element) -> str:
    # trafilatura writes <br> as <lb/>; keep those as line breaks inside the paragraph.
    parts = [node.text or ""]
    for child in node:
        parts.append("\n" if child.tag == "lb" else _with_line_breaks(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).replace("\r", "").split(" "))


def _fallback_text(root: lxml_html.HtmlElement) -> str:
    for path in ("//*[@itemprop='articleBody']", "//article", "//main", "//body"):
        try:
            found = root.xpath(path)
        except etree.XPathError:
            continue
        # These paths select elements only; lxml's types also allow strings and numbers.
        nodes = [node for node in found if isinstance(node, etree._Element)] if isinstance(found, list) else []
        for node in nodes:
            text = element_text(node, skip={"nav", "header", "footer", "aside"})
            if len(text) >= _MIN_FALLBACK_CHARS:
                return text
    return ""


def _drop_leading_title(text: str, title: str | None) -> str:
    if not title:
        return text
    first, _, rest = text.partition("\n\n")
    if " ".join(first.split()).casefold() == " ".join(title.split()).casefold() and rest.strip():
        return rest
    return text


def _parse(html_text: str) -> lxml_html.HtmlElement | None:
    try:
        parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True)
        return lxml_html.document_fromstring(html_text.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


@guarded
def read_html(request: ReadRequest) -> Iterator[ReadItem]:
    """Read one HTML page as one article; ``request.url`` is where it came from, when known."""
    data, origin, url = request.data, request.origin, request.url
    if isinstance(data, bytes):
        try:
            html_text = decode_bytes(data, request.charset or sniff_charset(data))
        except NotText as exc:
            yield ReadFailure(origin=origin, reason=str(exc))
            return
    else:
        html_text = data
    if not html_text.strip():
        yield ReadFailure(origin=origin, reason="empty file")
        return

    root = _parse(html_text)
    meta = page_metadata(root, url) if root is not None else PageMeta()
    text, info = _trafilatura(html_text, url)
    if not text.strip() and meta.bodies:
        text = meta.bodies[0]
    if not text.strip() and root is not None:
        text = _fallback_text(root)
    if not text.strip():
        yield ReadFailure(origin=origin, reason="no article text found")
        return

    page_titles = [one_line(t.text_content()) for t in root.iter("title")] if root is not None else []
    h1s = [h.text_content() for h in root.iter("h1")] if root is not None else []
    title = next(
        (one_line(t) for t in [*meta.titles, info.get("title") or "", *page_titles, *h1s] if one_line(t)),
        None,
    )
    article_url = _article_url(meta.urls + ([info["url"]] if isinstance(info.get("url"), str) else []), url)
    outlets = [known_host_outlet(article_url), *meta.outlets, info.get("sitename")]
    source = next((one_line(o) for o in outlets if isinstance(o, str) and one_line(o)), None)
    if title and source and title in page_titles and not meta.titles:
        # "<title>Story | The Daily</title>": drop the outlet from the headline.
        title = _TITLE_SUFFIX.sub("", title) if title.lower().endswith(source.lower()) else title

    authors: list[str] = []
    for candidate in meta.authors:
        authors = parse_authors(candidate)
        if authors:
            break
    if not authors and isinstance(info.get("author"), str):
        authors = parse_authors(info["author"].split(";"))

    published_at = _first_date(meta.dates + ([info["date"]] if isinstance(info.get("date"), str) else []))
    yield build_draft(
        origin,
        settings=request.settings,
        title=title,
        text=_drop_leading_title(text, title),
        source=source,
        authors=authors,
        published_at=published_at,
        url=article_url,
    )
