"""Typed request and response bodies of the HTTP API, with the examples ``/docs`` shows.

The Answer itself is ``service.answer.models.Answer`` (the contract's shape, shared with the CLI
and Slack), the article record is ingest's ``ArticleRecord`` and a ranked passage is retrieval's
``RankedPassage``: one shape each, whoever shows it. Article input is checked by ingest's own JSON
reader, the same rules as a ``.json`` file; the model here types the common fields for the docs
and lets the reader's aliases through.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator, model_validator

from ingest.feeds.models import FeedRecord
from ingest.models import ArticleRecord
from ingest.normalise.dates import DateParseError, parse_date
from service.conversation.chat import ChatQuestion
from service.http.limits import MAX_SOURCES
from service.retrieval.evidence import RankedPassage
from service.retrieval.limits import DEFAULT_K_ASK, K_MAX, K_MIN
from service.retrieval.window import empty_window

_BARE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Examples for the OpenAPI page, from the demo articles in samples/ (written for newsdesk).
EXAMPLE_ARTICLE_ID = "7cb57ccec786d074"
EXAMPLE_CITATION_ID = f"{EXAMPLE_ARTICLE_ID}:271-402"
EXAMPLE_QUOTE = (
    "The city's transport department put the cost at 410 million euros, of which the national government "
    "has promised to pay 60 percent."
)
EXAMPLE_ARTICLE: dict[str, JsonValue] = {
    "id": EXAMPLE_ARTICLE_ID,
    "title": "Council approves river tram line after six-hour debate",
    "source": "Harbour Times",
    "authors": ["Lea Berg"],
    "published_at": "2024-03-05T09:30:00+01:00",
    "url": None,
}
ANSWER_EXAMPLE = {
    "question": "How much will the Port Alden tram line cost?",
    "answer": EXAMPLE_QUOTE + " [1]",
    "short_answer": "410 million euros",
    "answered": True,
    "as_of": "2022-01-11",
    "citations": [
        {
            "n": 1,
            "id": EXAMPLE_CITATION_ID,
            "quote": EXAMPLE_QUOTE,
            "start": 271,
            "end": 402,
            "article": EXAMPLE_ARTICLE,
        }
    ],
    "answerer": "extractive",
    "timings_ms": {"retrieve": 120.5, "answer": 85.2, "total": 205.7},
    "notes": [],
    "conversation_id": "iG8T7OVJDujSs0AAT7xEng",
    "standalone_question": "How much will the Port Alden tram line cost?",
}


def parse_day(value: object, field: str = "date") -> date | datetime | None:
    """A date filter: ``2022-01-11`` is that whole day; a full timestamp is kept as given."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime | date):
        return value
    text = str(value).strip()
    if _BARE_DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"{field}: {exc}") from None
    try:
        parsed = parse_date(text)
    except DateParseError as exc:
        raise ValueError(f"{field}: {exc}") from None
    if parsed is None:
        return None
    if parsed.tzinfo is None and parsed.time() == datetime.min.time():
        return parsed.date()
    return parsed


# Half of a UTF-16 pair: JSON's "\\ud800" escapes decode to it, and it is not Unicode text.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(value: object) -> str | None:
    """Where decoded JSON holds a lone surrogate (``question``, ``authors[1]``), or ``None``.

    Python keeps such escapes as they are, and whatever encodes the text later (the tokenizer,
    the store) fails on them; they are refused at the door instead. Iterative: JSON may nest as
    deep as the parser allows, which is deeper than this could recurse.
    """
    pending: list[tuple[str, object]] = [("", value)]
    while pending:
        where, item = pending.pop()
        if isinstance(item, str):
            if _LONE_SURROGATE.search(item):
                return where or "body"
        elif isinstance(item, dict):
            for key, child in item.items():
                if _LONE_SURROGATE.search(str(key)):
                    return f"a field name in {where or 'the body'}"
                pending.append((f"{where}.{key}" if where else str(key), child))
        elif isinstance(item, list):
            pending.extend((f"{where or 'body'}[{n}]", child) for n, child in enumerate(item))
    return None


def refuse_lone_surrogates(data: object) -> object:
    """``data`` unchanged, or a ValueError (a 422) naming the field that is not Unicode text."""
    found = lone_surrogate(data)
    if found:
        raise ValueError(f"{found} holds a lone surrogate escape (\\ud800-\\udfff), which is not Unicode text")
    return data


class AskBody(BaseModel):
    """A question and the filters it is asked under."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"question": "who sent peacekeepers?"},
                {"question": "who sent peacekeepers?", "as_of": "2022-01-11", "sources": ["Asianet Newsable"], "k": 8},
            ]
        },
    )

    question: str = Field(
        description="The question in plain words (at most NEWSDESK_MAX_QUESTION_CHARS, default 2,000)."
    )
    as_of: date | datetime | None = Field(
        default=None, description="Answer as of this date: newer articles are invisible (default: now)."
    )
    sources: list[str] | None = Field(default=None, max_length=MAX_SOURCES, description="Only these outlets.")
    since: date | datetime | None = Field(default=None, description="Only articles published on or after this date.")
    until: date | datetime | None = Field(default=None, description="Only articles published on or before this date.")
    k: int = Field(default=DEFAULT_K_ASK, ge=K_MIN, le=K_MAX, description="Passages of evidence to consider.")
    conversation_id: str | None = Field(
        default=None,
        max_length=64,
        description="Continue this conversation (the id an earlier answer returned): follow-ups are read against "
        "its turns, and its as-of date, outlets and dates carry over unless set here. Without one, a new "
        "conversation starts.",
    )

    @model_validator(mode="before")
    @classmethod
    def _unicode(cls, data: object) -> object:
        return refuse_lone_surrogates(data)

    @field_validator("question")
    @classmethod
    def _question(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("the question is empty")
        return value

    @field_validator("as_of", "since", "until", mode="before")
    @classmethod
    def _dates(cls, value: object) -> object:
        return parse_day(value)

    @field_validator("sources")
    @classmethod
    def _sources(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        cleaned = [s.strip() for s in value if s and s.strip()]
        if any(len(s) > 200 for s in cleaned):
            raise ValueError("an outlet name is longer than 200 characters")
        return cleaned or None

    @model_validator(mode="after")
    def _window(self) -> AskBody:
        if problem := empty_window(self.since, self.until, self.as_of):
            raise ValueError(problem)
        return self

    def to_chat(self, owner: str) -> ChatQuestion:
        """The question in its conversation, asked by ``owner`` (unset filters carry over)."""
        return ChatQuestion(
            question=self.question,
            conversation_id=self.conversation_id,
            owner=owner,
            as_of=self.as_of,
            sources=self.sources,
            since=self.since,
            until=self.until,
            k=self.k,
        )


class ArticleListItem(ArticleRecord):
    """An article in a listing, with its number of chunks."""

    chunks: int


class ArticleDetail(ArticleListItem):
    """One article with its full text and every URL it was seen under."""

    text: str
    urls: list[str]
    place: str | None


class ArticleList(BaseModel):
    """A page of stored articles, newest first."""

    articles: list[ArticleListItem]
    limit: int
    offset: int


class ArticleIn(BaseModel):
    """A JSON article (``title`` and ``text`` at least), or ``{"url": ...}`` to fetch and read one.

    The same rules as a ``.json`` file: ``body`` for ``text``, ``author`` for ``authors`` and the
    other aliases of the JSON reader are accepted; ``id`` is ignored (ids come from the URL or text).
    """

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "title": "Council approves river tram line",
                    "text": "The Port Alden city council voted 31 to 14 on Tuesday to build a tram line along the "
                    "river.",
                    "source": "Harbour Times",
                    "authors": ["Lea Berg"],
                    "published_at": "2024-03-05T09:30:00Z",
                    "url": "https://harbour.example/tram",
                },
                {"url": "https://www.example.com/news/2024/03/05/tram-line"},
            ]
        },
    )

    url: str | None = Field(default=None, description="The article's address; alone, the page is fetched and read.")
    title: str | None = None
    text: str | None = Field(default=None, description="The article text (or `body`).")
    source: str | None = Field(default=None, description="The outlet; default: from the URL's host.")
    authors: list[str] | str | None = None
    published_at: str | None = Field(default=None, description="ISO 8601 or a common date format.")

    @model_validator(mode="before")
    @classmethod
    def _unicode(cls, data: object) -> object:
        return refuse_lone_surrogates(data)

    def fields(self) -> dict[str, Any]:
        """Everything the client sent, aliases included, for the JSON reader."""
        sent = self.model_dump(exclude_unset=True)
        return {**sent, **(self.model_extra or {})}

    def is_url_only(self) -> bool:
        """Only a URL (and perhaps an outlet name): fetch it."""
        sent = {k for k, v in self.fields().items() if v is not None}
        return "url" in sent and sent <= {"url", "source"}


class IngestResult(BaseModel):
    """What ``POST /v1/articles`` did."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "4f1c2a9e0b7d3c55",
                    "status": "created",
                    "chunks": 2,
                    "title": "Council approves river tram line",
                }
            ]
        }
    )

    id: str
    status: str = Field(description="created, updated or unchanged")
    chunks: int = Field(description="Chunks written (0 when unchanged).")
    title: str | None = None
    reason: str | None = Field(
        default=None, description="Why nothing was written, e.g. the same text is stored under another id."
    )
    articles: list[IngestResult] | None = Field(
        default=None, description="Every article read from a URL that held several (a feed)."
    )


class DeleteResult(BaseModel):
    """An article removed with all its chunks."""

    id: str
    status: str = "deleted"


class SearchResponse(BaseModel):
    """Ranked passages for a query."""

    query: str
    results: list[RankedPassage]
    notes: list[str] = Field(
        default_factory=list, description="What the search could not do as asked (an outlet the archive does not hold)."
    )


class CitationOut(BaseModel):
    """A citation id resolved: ``quote == article text[start:end]``, with the text around it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": EXAMPLE_CITATION_ID,
                    "quote": EXAMPLE_QUOTE,
                    "start": 271,
                    "end": 402,
                    "article": EXAMPLE_ARTICLE,
                    "context_before": "Construction is expected to start next spring. ",
                    "context_after": '\n\nMayor Ana Ruiz called the vote "the most important decision this council '
                    'has taken in a generation".',
                }
            ]
        }
    )

    id: str
    quote: str
    start: int
    end: int
    article: ArticleRecord
    context_before: str
    context_after: str


class StoreHealth(BaseModel):
    """Whether the archive answers, and how much it holds."""

    reachable: bool
    articles: int | None = None
    chunks: int | None = None
    revision: str | None = Field(default=None, description="Changes on every write to the archive, by any process.")
    error: str | None = None


class LexicalHealth(BaseModel):
    """This process's lexical (BM25) index: how far it has followed the store's change feed."""

    chunks: int | None = Field(description="Chunks the index holds (absent when its file cannot be read).")
    position: int = Field(description="The change-feed position applied (microseconds since the epoch).")
    caught_up_s_ago: float | None = Field(description="Seconds since the last completed catch-up (none yet: absent).")
    repairing: bool = Field(description="A build or repair from the store is under way.")
    current: bool = Field(description="Caught up within the last few refresh intervals and not repairing.")
    error: str | None = Field(default=None, description="Why the last catch-up failed, if it did.")


class Health(BaseModel):
    """Liveness: the process answers; ``store`` says whether the archive does."""

    status: str = Field(description="ok, or degraded when the store is unreachable")
    ready: bool = Field(description="The model and indexes are loaded.")
    store: StoreHealth
    lexical: LexicalHealth | None = Field(default=None, description="Absent until the store is first opened.")


class FeedList(BaseModel):
    """``GET /v1/feeds``: every feed polled into the archive on this machine."""

    feeds: list[FeedRecord]


class ErrorDetail(BaseModel):
    """What went wrong."""

    code: str
    message: str
    details: list[dict[str, str]] | None = None


class ErrorBody(BaseModel):
    """Every error response."""

    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses an endpoint can return."""
    text = {
        401: "No or a wrong API key.",
        409: "The conversation is full (its turn or size limit): start a new one.",
        403: "Writes are disabled on this server.",
        404: "Not found.",
        413: "The body is too large.",
        422: "A field is missing or invalid.",
        503: "The archive cannot be reached.",
    }
    return {s: {"model": ErrorBody, "description": text.get(s, "Error.")} for s in statuses}
