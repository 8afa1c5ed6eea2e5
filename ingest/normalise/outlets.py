"""Outlet names: from a URL's host, and one spelling for the outlets everybody writes differently.

When a source gives no outlet, the host names it ("usatoday.com"). A few well-known hosts map to
the name their own pages use, so that filtering by ``--source CNN`` finds CNN articles whether
they came from a JSONL export, a feed or a fetched page.

This is the one place newsdesk knows outlet names: ``outlet_names`` adds the further outlets,
wire services and news shows of ``news_outlets.txt`` (the answerer never takes one for an answer).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from urllib.parse import urlsplit

__all__ = ["KNOWN_OUTLETS", "known_host_outlet", "known_outlet", "outlet_from_url", "outlet_names", "spellings_of"]

# Registrable domain -> the outlet's own name.
_HOSTS: dict[str, str] = {
    "cnn.com": "CNN",
    "reuters.com": "Reuters",
    "apnews.com": "AP",
    "bbc.co.uk": "BBC",
    "bbc.com": "BBC",
    "nytimes.com": "The New York Times",
    "usatoday.com": "USA TODAY",
    "theguardian.com": "The Guardian",
    "theweek.com": "The Week",
    "theweek.co.uk": "The Week",
    "washingtonpost.com": "The Washington Post",
    "wsj.com": "The Wall Street Journal",
    "npr.org": "NPR",
    "aljazeera.com": "Al Jazeera",
    "bloomberg.com": "Bloomberg",
    "ft.com": "Financial Times",
    "afp.com": "AFP",
}

# Spellings met in bylines and agency datelines ("(Reuters) -", "Jane Doe, AP") -> the name above.
KNOWN_OUTLETS: dict[str, str] = {
    "cnn": "CNN",
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "bbc": "BBC",
    "bbc news": "BBC",
    "the new york times": "The New York Times",
    "new york times": "The New York Times",
    "usa today": "USA TODAY",
    "the guardian": "The Guardian",
    "the week": "The Week",
    "the washington post": "The Washington Post",
    "washington post": "The Washington Post",
    "npr": "NPR",
    "al jazeera": "Al Jazeera",
    "bloomberg": "Bloomberg",
    "bloomberg news": "Bloomberg",
    "upi": "UPI",
    "dpa": "dpa",
    "xinhua": "Xinhua",
    "tass": "TASS",
    "pti": "PTI",
    "ians": "IANS",
    "ani": "ANI",
}


@cache
def outlet_names() -> frozenset[str]:
    """Every outlet name known here, lower case: the spellings and names above and ``news_outlets.txt``."""
    text = resources.files(__package__).joinpath("news_outlets.txt").read_text(encoding="utf-8")
    listed = {line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    named = {name.lower() for name in (*KNOWN_OUTLETS.values(), *_HOSTS.values())}
    return frozenset(listed | set(KNOWN_OUTLETS) | named)


def known_outlet(name: str) -> str | None:
    """The canonical spelling of a well-known outlet or news agency, or ``None`` if not one."""
    return KNOWN_OUTLETS.get(" ".join(name.split()).strip(" .").casefold())


def spellings_of(outlet: str) -> frozenset[str]:
    """The ways people write a stored outlet's name, lower case: the name itself and, for a
    well-known outlet, every spelling above that means it ("AP": "ap", "associated press", ...)."""
    name = " ".join(outlet.split()).lower()
    canonical = known_outlet(outlet)
    if canonical is None:
        return frozenset({name})
    return frozenset({name, *(spelling for spelling, known in KNOWN_OUTLETS.items() if known == canonical)})


def _host(url: str) -> str:
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    host = host.lower().rstrip(".")
    for prefix in ("www.", "m.", "amp.", "edition.", "mobile."):
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix) :]
            break
    return host


def known_host_outlet(url: str | None) -> str | None:
    """The name of the well-known outlet a URL belongs to, or ``None`` for any other host."""
    if not url:
        return None
    labels = _host(url).split(".")
    for i in range(len(labels) - 1):
        name = _HOSTS.get(".".join(labels[i:]))
        if name:
            return name
    return None


def outlet_from_url(url: str | None) -> str | None:
    """The outlet a URL belongs to: a known name, else its host without ``www.``; ``None`` if no host."""
    if not url:
        return None
    return known_host_outlet(url) or _host(url) or None
