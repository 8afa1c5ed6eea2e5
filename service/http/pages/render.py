"""Rendering pages: one autoescaping Jinja2 environment, security headers, the answer's [n] links."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from service.citations.format import byline, display_date

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

# Inline scripts and styles are not needed: everything comes from /static.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}

_MARKER = re.compile(r"\[(\d+)\]")


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The pages' Jinja2 environment: every value is HTML-escaped unless marked safe."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["byline"] = byline
    env.filters["day"] = _day
    return env


def _day(value: str | datetime | None) -> str:
    """A stored ISO timestamp as ``11 January 2022``."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            return display_date(datetime.fromisoformat(value))
        except ValueError:
            return value[:10]
    return display_date(value)


def linked_markers(text: str, known: int, anchor: str = "cite-") -> Markup:
    """The answer text, escaped, with each ``[n]`` linking to citation n on the page (``#{anchor}n``)."""
    parts: list[str] = []
    at = 0
    for match in _MARKER.finditer(text):
        parts.append(str(escape(text[at : match.start()])))
        n = int(match.group(1))
        if 1 <= n <= known:
            parts.append(f'<a class="marker" href="#{anchor}{n}">[{n}]</a>')
        else:
            parts.append(str(escape(match.group(0))))
        at = match.end()
    parts.append(str(escape(text[at:])))
    return Markup("".join(parts))


def page(
    template: str, context: Mapping[str, Any], status: int = 200, headers: Mapping[str, str] | None = None
) -> HTMLResponse:
    """A rendered page with the security headers."""
    html = environment().get_template(template).render(**context)
    return HTMLResponse(html, status_code=status, headers={**PAGE_HEADERS, **(headers or {})})


def error_page(
    request: Request, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> HTMLResponse:
    """An error shown to a person."""
    return page(
        "error.html", {"status": status, "code": code, "message": message, "title": f"Error {status}"}, status, headers
    )
