"""HTML fragments (feed entry content, page fallbacks) to plain text with paragraphs kept.

Block elements (``p``, ``div``, ``li``, headings, ...) become paragraphs separated by a blank line,
``<br>`` a line break; scripts, styles, forms and similar non-content are dropped; runs of spaces
inside a paragraph collapse to one, as a browser shows them. Whatever the markup, this never
raises: broken HTML gives the text lxml can recover, or an empty string.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

__all__ = ["element_text", "html_to_text"]

_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "figure",
    "figcaption",
    "hr",
    "address",
    "details",
    "summary",
    "center",
    "body",
    "html",
}
_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "canvas",
    "form",
    "button",
    "select",
    "input",
    "textarea",
    "head",
    "title",
    "meta",
    "link",
}
_CELLS = {"td", "th"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_PARAGRAPH_MARK = "\x00P\x00"
_LINE_MARK = "\x00L\x00"


def _walk(node: etree._Element, out: list[str], skip: set[str]) -> None:
    tag = node.tag if isinstance(node.tag, str) else ""
    tag = tag.rsplit("}", 1)[-1].lower()
    if not tag or tag in skip:
        # Comments and processing instructions carry no text, but their tail does.
        if node.tail:
            out.append(node.tail)
        return
    block = tag in _BLOCKS
    if block:
        out.append(_PARAGRAPH_MARK)
    elif tag == "br":
        out.append(_LINE_MARK)
    elif tag in _CELLS:
        out.append(" ")
    if node.text:
        out.append(node.text)
    for child in node:
        _walk(child, out, skip)
    if block:
        out.append(_PARAGRAPH_MARK)
    if node.tail:
        out.append(node.tail)


def _assemble(pieces: list[str]) -> str:
    raw = "".join(pieces).replace("\n", " ")
    paragraphs = []
    for block in raw.split(_PARAGRAPH_MARK):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split(_LINE_MARK)]
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def element_text(node: etree._Element, *, skip: set[str] | None = None) -> str:
    """Text of a parsed element, paragraphs separated by blank lines."""
    pieces: list[str] = []
    _walk(node, pieces, _SKIP | (skip or set()))
    return _assemble(pieces)


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment or document; ``""`` when there is none or it cannot be parsed."""
    if not markup or not markup.strip():
        return ""
    if "<" not in markup and "&" not in markup:
        # Already plain text (feeds often send it so): keep its line breaks as they are.
        return markup.strip()
    try:
        parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True)
        root = lxml_html.document_fromstring(markup.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return ""
    if root is None:
        return ""
    return element_text(root)
