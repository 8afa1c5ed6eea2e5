"""The app in-process (``fastapi.testclient``) with stand-ins: access, limits, errors, streaming, pages.

No model and no store are loaded here; the real thing is exercised over a real server in
``test_server.py``. The answering path uses the real ``Asker`` (and the real citation check) over a
stand-in retriever, so JSON, SSE and the ask page see genuine Answers.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from http_fakes import FakeRuntime, FakeStore, make_article, service_settings
from langchain_openai import ChatOpenAI

from ingest.models import ArticleDraft, IngestOutcome
from ingest.store import StoreError, StoreUnavailable
from service.answer.ask import Asker, sentence_pieces
from service.answer.llm import LLMAnswerer
from service.answer.models import AnswerDraft
from service.http.app import create_app
from service.http.work_slots import slot_count
from service.retrieval.evidence import Passage, RetrievalResult, Sentence
from tests.service.fake_openai import FakeOpenAI

KEY = "k-123"
TEXT = (
    "The Port Alden city council voted 31 to 14 on Tuesday to build a tram line. "
    "The transport department put the cost at 410 million euros. <script>alert(1)</script> & more."
)
S1 = "The Port Alden city council voted 31 to 14 on Tuesday to build a tram line."
S2 = "The transport department put the cost at 410 million euros."
ARTICLE = make_article(text=TEXT, title="Council <b>approves</b> tram")


def passage() -> Passage:
    s1, s2 = TEXT.index(S1), TEXT.index(S2)
    return Passage(
        article=ARTICLE,
        start=0,
        end=len(TEXT),
        text=TEXT,
        score=0.9,
        sentences=[Sentence(s1, s1 + len(S1), S1, 0.9), Sentence(s2, s2 + len(S2), S2, 0.8)],
    )


class FakeRetriever:
    """Always finds the one passage (or nothing, or fails)."""

    def __init__(self, empty: bool = False, fail_with: Exception | None = None):
        self.empty = empty
        self.fail_with = fail_with
        self.calls: list[dict[str, Any]] = []
        self.store: FakeStore | None = None  # the articles the answer cites are read from it

    def retrieve(self, question: str, **kw: Any) -> RetrievalResult:
        self.calls.append({"question": question, **kw})
        if self.fail_with is not None:
            raise self.fail_with
        as_of = kw.get("as_of") or datetime(2024, 3, 6, tzinfo=UTC)
        return RetrievalResult(passages=[] if self.empty else [passage()], as_of=as_of)


class VerbatimAnswerer:
    """Answers with a sentence of the passage, verbatim (like the extractive answerer)."""

    name = "extractive"

    def answer(
        self,
        question: str,
        passages: list[Passage],
        already_said: Sequence[str] = (),
        as_of: date | None = None,
    ) -> AnswerDraft:
        return AnswerDraft(text=f"{S1} [1]", short_answer="31 to 14", answered=True, answerer=self.name)


class NoEmbedder:
    """Verbatim quotes never need the model; anything else would be a surprise here."""

    def encode(self, texts: list[str]) -> Any:
        raise AssertionError("the citation check should not need the model for verbatim quotes")


def make_client(
    *,
    store: FakeStore | None = None,
    retriever: FakeRetriever | None = None,
    answerer: Any = None,
    ingestor: Any = None,
    raise_errors: bool = True,
    **settings: Any,
) -> tuple[TestClient, FakeRuntime]:
    store = store or FakeStore(make_article(text=TEXT))
    retriever = retriever or FakeRetriever()
    retriever.store = store
    asker = Asker(retriever, answerer or VerbatimAnswerer(), NoEmbedder(), min_evidence=0.35)  # type: ignore[arg-type]
    runtime = FakeRuntime(
        service_settings(**settings),
        store=store,
        asker=asker,
        retriever=retriever,
        ingestor=ingestor,
    )
    app = create_app(runtime, warm_up=False)  # type: ignore[arg-type]
    return TestClient(app, raise_server_exceptions=raise_errors), runtime


@pytest.fixture
def client() -> Iterator[TestClient]:
    test_client, _ = make_client()
    with test_client:
        yield test_client


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body["error"]


def parse_sse(text: str) -> list[tuple[str, Any]]:
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        events.append((fields["event"], json.loads(fields["data"])))
    return events


# ----- access ------------------------------------------------------------------------------------


def test_writes_need_a_key_when_keys_are_configured() -> None:
    test_client, runtime = make_client(api_keys=[KEY])
    with test_client:
        missing = assert_error(test_client.delete(f"/v1/articles/{ARTICLE.id}"), 401, "unauthorized")
        assert "X-API-Key" in missing["message"] and "Bearer" in missing["message"]
        wrong = assert_error(
            test_client.delete(f"/v1/articles/{ARTICLE.id}", headers={"X-API-Key": "nope"}), 401, "unauthorized"
        )
        assert "not valid" in wrong["message"]
        assert runtime.store.calls == []  # refused before the store was asked
        # reads stay open without NEWSDESK_PROTECT_READS
        assert test_client.get(f"/v1/articles/{ARTICLE.id}").status_code == 200
        ok = test_client.delete(f"/v1/articles/{ARTICLE.id}", headers={"Authorization": f"Bearer {KEY}"})
        assert ok.status_code == 200 and ok.json() == {"id": ARTICLE.id, "status": "deleted"}


def test_key_headers_x_api_key_bearer_and_basic() -> None:
    for headers in (
        {"X-API-Key": KEY},
        {"Authorization": f"Bearer {KEY}"},
        {"Authorization": "Basic " + base64.b64encode(f"me:{KEY}".encode()).decode()},
    ):
        test_client, _ = make_client(api_keys=["other", KEY])
        with test_client:
            assert test_client.delete(f"/v1/articles/{ARTICLE.id}", headers=headers).status_code == 200, headers


def test_printing_the_settings_shows_no_key_token_or_secret() -> None:
    from service.settings import ServiceSettings

    secrets = {
        "api_keys": "key-one-8c1d,key-two-77ab",
        "slack_bot_token": "xoxb-1-2-abc",
        "slack_signing_secret": "sig-5e5e",
        "slack_app_token": "xapp-1-def",
        "llm_api_key": "sk-llm-9f9f",
    }
    settings = ServiceSettings(_env_file=None, **secrets)  # type: ignore[arg-type]
    shown = repr(settings) + str(settings) + settings.model_dump_json()
    for value in ("key-one-8c1d", "key-two-77ab", *list(secrets.values())[1:]):
        assert value not in shown, value
    assert [k.get_secret_value() for k in settings.api_keys] == ["key-one-8c1d", "key-two-77ab"]


def test_without_keys_writes_only_on_loopback() -> None:
    local, _ = make_client(api_keys=[], host="127.0.0.1")
    with local:
        assert local.delete(f"/v1/articles/{ARTICLE.id}").status_code == 200
    public, runtime = make_client(api_keys=[], host="0.0.0.0")
    with public:
        error = assert_error(public.delete(f"/v1/articles/{ARTICLE.id}"), 403, "forbidden")
        assert "NEWSDESK_API_KEYS" in error["message"]
        assert public.get(f"/v1/articles/{ARTICLE.id}").status_code == 200
    assert runtime.store.calls == [("get_article", ARTICLE.id)]


def test_protect_reads_guards_every_read_but_healthz() -> None:
    test_client, _ = make_client(api_keys=[KEY], protect_reads=True)
    with test_client:
        for method, path, body in [
            ("GET", "/v1/articles", None),
            ("GET", f"/v1/articles/{ARTICLE.id}", None),
            ("GET", "/v1/search?q=tram", None),
            ("POST", "/v1/ask", {"question": "how did the council vote?"}),
            ("GET", f"/v1/citations/{ARTICLE.id}:0-10", None),
            ("GET", "/metrics", None),
        ]:
            assert_error(test_client.request(method, path, json=body), 401, "unauthorized")
            assert test_client.request(method, path, json=body, headers={"X-API-Key": KEY}).status_code == 200, path
        assert test_client.get("/healthz").status_code == 200
        page = test_client.get("/", headers={"Accept": "text/html"})
        assert page.status_code == 401 and page.headers["www-authenticate"].startswith("Basic")
        basic = "Basic " + base64.b64encode(f"journalist:{KEY}".encode()).decode()
        assert test_client.get("/", headers={"Authorization": basic}).status_code == 200


def test_protect_reads_without_keys_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="NEWSDESK_API_KEYS"):
        make_client(api_keys=[], protect_reads=True)


# ----- limits ------------------------------------------------------------------------------------


def test_body_over_the_limit_is_413(client: TestClient) -> None:
    big = json.dumps({"question": "x" * 2_000_000})
    error = assert_error(
        client.post("/v1/ask", content=big, headers={"content-type": "application/json"}), 413, "payload_too_large"
    )
    assert "1,000,000 bytes" in error["message"]


def test_chunked_body_over_the_limit_is_413() -> None:
    test_client, _ = make_client(max_body_bytes=1000)

    def chunks() -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(20):
            yield b"x" * 100
        yield b'"}'

    with test_client:
        assert_error(
            test_client.post("/v1/ask", content=chunks(), headers={"content-type": "application/json"}),
            413,
            "payload_too_large",
        )


def test_question_length_and_k_are_checked(client: TestClient) -> None:
    error = assert_error(client.post("/v1/ask", json={"question": "x" * 2001}), 422, "validation_error")
    assert "2,000 characters" in error["message"]
    assert client.post("/v1/ask", json={"question": "x" * 2000}).status_code == 200
    for k in (0, 51, "many"):
        error = assert_error(client.post("/v1/ask", json={"question": "q?", "k": k}), 422, "validation_error")
        assert error["message"].startswith("k:") and error["details"][0]["field"] == "k"
        assert_error(client.get("/v1/search", params={"q": "tram", "k": k}), 422, "validation_error")
    assert_error(client.post("/v1/ask", json={"question": "   "}), 422, "validation_error")
    assert_error(client.post("/v1/ask", json={"question": "q?", "as_of": "not a date"}), 422, "validation_error")
    assert_error(client.get("/v1/search", params={"q": "x" * 2001}), 422, "validation_error")
    assert_error(client.get("/v1/articles", params={"limit": 0}), 422, "validation_error")


def test_article_bodies_have_their_own_larger_limit() -> None:
    ingestor = RecordingIngestor()
    test_client, _ = make_client(ingestor=ingestor, max_body_bytes=1000, max_article_body_bytes=50_000)
    with test_client:
        body = {"title": "Long", "text": "word " * 2000}
        assert test_client.post("/v1/articles", json=body).status_code == 201
        assert_error(
            test_client.post("/v1/articles", json={"title": "Too long", "text": "word " * 20_000}),
            413,
            "payload_too_large",
        )


# ----- errors ------------------------------------------------------------------------------------


def test_error_shape_for_framework_errors(client: TestClient) -> None:
    assert_error(
        client.post("/v1/ask", content=b"{not json", headers={"content-type": "application/json"}),
        422,
        "validation_error",
    )
    assert_error(client.post("/v1/ask"), 422, "validation_error")
    assert "no such path" in assert_error(client.get("/v2/nothing"), 404, "not_found")["message"]
    assert_error(client.get("/v1/ask"), 405, "method_not_allowed")
    assert_error(client.post("/v1/ask", json={"question": "q?", "extra": 1}), 422, "validation_error")


def test_store_unavailable_is_503_with_a_clear_message() -> None:
    down = StoreUnavailable("the Chroma server is unreachable: connection refused")
    test_client, _ = make_client(store=FakeStore(fail_with=down), retriever=FakeRetriever(fail_with=down))
    with test_client:
        for response in (
            test_client.get(f"/v1/articles/{ARTICLE.id}"),
            test_client.post("/v1/ask", json={"question": "q?"}),
            test_client.get("/v1/search?q=x"),
            test_client.get(f"/v1/citations/{ARTICLE.id}:0-5"),
        ):
            error = assert_error(response, 503, "store_unavailable")
            assert "cannot be reached" in error["message"] and response.headers["retry-after"] == "5"
        health = test_client.get("/healthz")
        assert (
            health.status_code == 200
            and health.json()["status"] == "degraded"
            and not health.json()["store"]["reachable"]
        )
        failing = make_client(store=FakeStore(fail_with=StoreError("the archive is read-only: disk")))[0]
        with failing:
            assert_error(failing.get("/v1/articles"), 503, "store_error")


def test_unexpected_errors_are_500_json_without_traceback(caplog: pytest.LogCaptureFixture) -> None:
    test_client, _ = make_client(
        retriever=FakeRetriever(fail_with=KeyError("secret internal detail")), raise_errors=False
    )
    with test_client:
        error = assert_error(test_client.post("/v1/ask", json={"question": "q?"}), 500, "internal_error")
        assert "secret internal detail" not in error["message"] and "reference" in error["message"]
    assert any("secret internal detail" in (r.exc_text or "") or r.exc_info for r in caplog.records)


def test_invalid_ids_are_404_without_touching_the_store() -> None:
    test_client, runtime = make_client(api_keys=[KEY])
    with test_client:
        for bad in (
            "NOTHEX",
            "0123456789ABCDEF",
            "0123456789abcde",
            "0123456789abcdef0",
            "0123456789abcdef%0A",
            "..%2F..%2Fetc",
        ):
            assert_error(test_client.get(f"/v1/articles/{bad}"), 404, "not_found")
            assert_error(test_client.delete(f"/v1/articles/{bad}", headers={"X-API-Key": KEY}), 404, "not_found")
            assert_error(test_client.get(f"/v1/citations/{bad}:1-2"), 404, "not_found")
        assert_error(test_client.get(f"/v1/citations/{ARTICLE.id}:5-2"), 404, "not_found")
        assert runtime.store.calls == []
        assert_error(test_client.get("/v1/articles/fedcba9876543210"), 404, "not_found")
        assert_error(test_client.get("/v1/citations/fedcba9876543210:0-4"), 404, "not_found")
        assert_error(test_client.get(f"/v1/citations/{ARTICLE.id}:0-{len(TEXT) + 1}"), 404, "not_found")


# ----- answers, JSON and streamed ------------------------------------------------------------------


def test_ask_returns_the_contract_answer(client: TestClient) -> None:
    answer = client.post(
        "/v1/ask",
        json={"question": "how did the council vote?", "as_of": "2024-03-06", "sources": ["Harbour Times"], "k": 3},
    ).json()
    assert answer["answered"] is True and answer["short_answer"] == "31 to 14"
    assert set(answer) >= {
        "question",
        "answer",
        "short_answer",
        "answered",
        "as_of",
        "citations",
        "answerer",
        "timings_ms",
    }
    citation = answer["citations"][0]
    assert citation["quote"] == TEXT[citation["start"] : citation["end"]]
    assert citation["id"] == f"{ARTICLE.id}:{citation['start']}-{citation['end']}"


def test_ask_passes_filters_to_retrieval() -> None:
    retriever = FakeRetriever()
    test_client, _ = make_client(retriever=retriever)
    with test_client:
        test_client.post(
            "/v1/ask",
            json={"question": "q?", "as_of": "2024-03-06", "since": "2024-03-01", "sources": ["Bay Post"], "k": 3},
        )
    call = retriever.calls[0]
    assert call["k"] == 3 and call["sources"] == ["Bay Post"]
    assert call["as_of"] == datetime(2024, 3, 6, 23, 59, 59, tzinfo=UTC)
    assert call["since"] == datetime(2024, 3, 1, tzinfo=UTC)


def test_streamed_answer_sends_retrieval_tokens_and_answer(client: TestClient) -> None:
    response = client.post(
        "/v1/ask", json={"question": "how did the council vote?"}, headers={"Accept": "text/event-stream"}
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(response.text)
    names = [name for name, _ in events]
    assert names[0] == "retrieval" and names[-1] == "answer"
    retrieval = events[0][1]
    assert retrieval["passages"][0]["id"] == f"{ARTICLE.id}:0-{len(TEXT)}"
    answer = events[-1][1]
    # one token per sentence of the checked answer, joining back to its text
    assert names.count("token") == len(sentence_pieces(answer["answer"])) >= 1
    assert "".join(data["text"] for name, data in events if name == "token") == answer["answer"]
    assert answer["answered"] and answer["citations"][0]["quote"] == S1
    assert set(answer["timings_ms"]) == {"retrieve", "answer", "total"}


def test_streamed_abstention() -> None:
    test_client, _ = make_client(retriever=FakeRetriever(empty=True))
    with test_client:
        events = parse_sse(
            test_client.post("/v1/ask", json={"question": "q?"}, headers={"Accept": "text/event-stream"}).text
        )
    assert [n for n, _ in events] == ["retrieval", "token", "answer"]
    assert events[-1][1]["answered"] is False and events[1][1]["text"] == events[-1][1]["answer"]


def test_a_streamed_llm_answer_previews_the_checked_answer_built_from_the_models_json() -> None:
    # The reader replies JSON (whole or not at all), so the stream shows the checked answer, not model tokens.
    with FakeOpenAI() as llm:
        llm.reply = json.dumps({"short_answer": "31 to 14", "evidence": [1], "sentence": None})
        chat = ChatOpenAI(base_url=llm.url, model="fake-model", api_key="none", max_retries=0, temperature=0)
        test_client, _ = make_client(answerer=LLMAnswerer(chat, fallback=VerbatimAnswerer(), timeout_s=10))
        with test_client:
            events = parse_sse(
                test_client.post("/v1/ask", json={"question": "q?"}, headers={"Accept": "text/event-stream"}).text
            )
    names = [name for name, _ in events]
    assert names[0] == "retrieval" and names[-1] == "answer" and "token" in names
    answer = events[-1][1]
    assert "".join(d["text"] for n, d in events if n == "token") == answer["answer"] == f"{S1} [1]"
    assert answer["answerer"] == "llm:fake-model" and answer["short_answer"] == "31 to 14" and answer["answered"]
    assert answer["citations"][0]["quote"] == S1


def test_stream_failure_after_start_is_an_error_event(caplog: pytest.LogCaptureFixture) -> None:
    class Broken(VerbatimAnswerer):
        def answer(
            self,
            question: str,
            passages: list[Passage],
            already_said: Sequence[str] = (),
            as_of: date | None = None,
        ) -> AnswerDraft:
            raise RuntimeError("boom inside")

    test_client, _ = make_client(answerer=Broken())
    with test_client:
        response = test_client.post("/v1/ask", json={"question": "q?"}, headers={"Accept": "text/event-stream"})
    events = parse_sse(response.text)
    assert [n for n, _ in events] == ["retrieval", "error"]
    assert (
        events[-1][1]["error"]["code"] == "internal_error"
        and "boom" not in response.text
        and "Traceback" not in response.text
    )


def test_sentence_pieces_join_back() -> None:
    text = "One thing happened [1]. Another [1][2] and more. Last [3]"
    pieces = sentence_pieces(f"{S1} [1] {S2} [1][2]")
    assert pieces == [f"{S1} [1]", f" {S2} [1][2]"]
    assert "".join(sentence_pieces(text)) == text


# ----- articles ----------------------------------------------------------------------------------


class RecordingIngestor:
    """Takes drafts, says they were created."""

    def __init__(self) -> None:
        self.drafts: list[ArticleDraft] = []

    def ingest_one(self, draft: ArticleDraft) -> IngestOutcome:
        self.drafts.append(draft)
        return IngestOutcome(origin=draft.origin, status="created", id="aaaaaaaaaaaaaaaa", title=draft.title, chunks=2)


def test_post_json_article_goes_through_the_json_reader() -> None:
    ingestor = RecordingIngestor()
    test_client, runtime = make_client(ingestor=ingestor)
    with test_client:
        response = test_client.post(
            "/v1/articles",
            json={
                "headline": "Ferry crews strike",
                "body": "Ferry crews walked out on Thursday.",
                "author": "Omar Haddad",
                "date": "2024/03/07",
                "url": "https://bay.example/ferry",
            },
        )
        assert response.status_code == 201, response.text
        assert response.json() == {
            "id": "aaaaaaaaaaaaaaaa",
            "status": "created",
            "chunks": 2,
            "title": "Ferry crews strike",
        }
        assert response.headers["location"] == "/v1/articles/aaaaaaaaaaaaaaaa"
        draft = ingestor.drafts[0]
        assert (draft.title, draft.authors, draft.url) == (
            "Ferry crews strike",
            ["Omar Haddad"],
            "https://bay.example/ferry",
        )
        assert draft.published_at is not None and draft.published_at.date().isoformat() == "2024-03-07"
        assert draft.source == "bay.example" or draft.source
        metrics = test_client.get("/metrics").text
        assert 'newsdesk_ingested_articles_total{status="created"} 1.0' in metrics


def test_post_bad_articles_is_422() -> None:
    test_client, _ = make_client(ingestor=RecordingIngestor())
    with test_client:
        error = assert_error(test_client.post("/v1/articles", json={"title": "No text"}), 422, "invalid_article")
        assert "text" in error["message"]
        assert_error(
            test_client.post("/v1/articles", json={"title": "T", "text": "x", "published_at": "someday"}),
            422,
            "invalid_article",
        )
        assert_error(test_client.post("/v1/articles", json=["not", "an", "object"]), 422, "validation_error")


def test_post_url_goes_through_the_guarded_fetcher() -> None:
    ingestor = RecordingIngestor()
    test_client, _ = make_client(ingestor=ingestor)
    with test_client:
        for url in ("http://127.0.0.1:9/secret", "http://169.254.169.254/latest/meta-data/"):
            error = assert_error(test_client.post("/v1/articles", json={"url": url}), 422, "invalid_article")
            assert "cannot read" in error["message"]
        # The CLI's readers take paths too; over HTTP nothing but the web is read, never the server's files.
        for url in ("file:///etc/passwd", "/etc", "/etc/passwd", "../../etc/passwd", "etc/hosts"):
            error = assert_error(test_client.post("/v1/articles", json={"url": url}), 422, "invalid_article")
            assert "only http and https URLs are fetched" in error["message"], error
    assert ingestor.drafts == []


# ----- metrics, CORS, docs -------------------------------------------------------------------------


def test_metrics_by_route_template_and_answers(client: TestClient) -> None:
    client.get("/v1/articles/fedcba9876543210")
    client.get("/v1/articles/0123456789abcdef")
    client.post("/v1/ask", json={"question": "q?"})
    client.get("/definitely/not/here")
    text = client.get("/metrics").text
    assert 'newsdesk_http_requests_total{method="GET",route="/v1/articles/{article_id}",status="404"} 1.0' in text
    assert 'newsdesk_http_requests_total{method="GET",route="/v1/articles/{article_id}",status="200"} 1.0' in text
    assert 'route="unmatched"' in text and "/definitely" not in text
    assert 'newsdesk_answers_total{channel="api",outcome="answered"} 1.0' in text
    assert "newsdesk_http_request_duration_seconds_bucket" in text


def test_cors_is_configurable() -> None:
    test_client, _ = make_client(cors_origins=["https://desk.example"])
    with test_client:
        preflight = test_client.options(
            "/v1/ask",
            headers={
                "Origin": "https://desk.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type,x-api-key",
            },
        )
        assert (
            preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == "https://desk.example"
        )
        other = test_client.get("/healthz", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
    plain, _ = make_client()
    with plain:
        assert (
            "access-control-allow-origin"
            not in plain.get("/healthz", headers={"Origin": "https://desk.example"}).headers
        )


def test_openapi_documents_every_endpoint_with_examples(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) >= {
        "/v1/ask",
        "/v1/search",
        "/v1/articles",
        "/v1/articles/{article_id}",
        "/v1/citations/{citation_id}",
        "/healthz",
        "/metrics",
    }
    ask = spec["paths"]["/v1/ask"]["post"]
    assert "text/event-stream" in ask["responses"]["200"]["content"]
    assert spec["components"]["schemas"]["AskBody"]["examples"]
    assert client.get("/docs").status_code == 200


# ----- pages -------------------------------------------------------------------------------------


def test_ask_page_without_question_is_a_form(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and '<form class="ask" method="get" action="/"' in page.text
    assert "Content-Security-Policy" in page.headers


def test_ask_page_renders_the_answer_with_numbered_citations(client: TestClient) -> None:
    page = client.get("/", params={"q": "how did the council vote?"})
    assert page.status_code == 200
    assert '<p class="short">31 to 14</p>' in page.text
    assert f'href="/c/{ARTICLE.id}:{TEXT.index(S1)}-{TEXT.index(S1) + len(S1)}#quote"' in page.text
    assert 'href="#cite-1">[1]</a>' in page.text and 'id="cite-1"' in page.text
    assert "Harbour Times" in page.text and "Lea Berg" in page.text and "5 March 2024" in page.text
    assert "Council &lt;b&gt;approves&lt;/b&gt; tram" in page.text


def test_ask_page_with_too_long_question_says_so(client: TestClient) -> None:
    page = client.get("/", params={"q": "x" * 2001})
    assert page.status_code == 422 and "longer than 2,000 characters" in page.text


def test_citation_page_marks_exactly_the_quote_and_escapes_the_article(client: TestClient) -> None:
    start = TEXT.index(S2)
    end = TEXT.index("<script>") + len("<script>alert(1)</script>")
    page = client.get(f"/c/{ARTICLE.id}:{start}-{end}")
    assert page.status_code == 200
    marked = re.search(r'<mark id="quote">(.*?)</mark>', page.text, re.S)
    assert marked and html.unescape(marked.group(1)) == TEXT[start:end]
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert 'href="https://harbour.example/tram"' in page.text
    box = re.search(r'<textarea id="citation-text" readonly rows="3">(.*?)</textarea>', page.text, re.S)
    assert box and html.unescape(box.group(1)).startswith(
        "Harbour Times, Lea Berg, 5 March 2024: “The transport department"
    )
    assert html.unescape(box.group(1)).endswith("” https://harbour.example/tram")


def test_citation_page_errors_are_html_for_browsers_and_json_otherwise(client: TestClient) -> None:
    browser = client.get("/c/fedcba9876543210:0-5", headers={"Accept": "text/html,application/xhtml+xml"})
    assert (
        browser.status_code == 404
        and browser.headers["content-type"].startswith("text/html")
        and "no citation" in browser.text
    )
    assert_error(client.get("/c/fedcba9876543210:0-5"), 404, "not_found")
    assert_error(client.get("/c/garbage"), 404, "not_found")


def test_static_assets_are_served(client: TestClient) -> None:
    assert client.get("/static/newsdesk.js").status_code == 200
    assert client.get("/static/newsdesk.css").status_code == 200


# ----- work slots --------------------------------------------------------------------------------


class GatedRetriever(FakeRetriever):
    """Holds every retrieval until released, counting how many run at once."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def retrieve(self, question: str, **kw: Any) -> RetrievalResult:
        with self._lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            assert self.release.wait(timeout=30), "never released"
            return super().retrieve(question, **kw)
        finally:
            with self._lock:
                self.running -= 1


def test_asks_beyond_the_work_slots_wait_their_turn_and_light_routes_do_not() -> None:
    retriever = GatedRetriever()
    test_client, _ = make_client(retriever=retriever, work_slots=2)
    statuses: list[int] = []
    with test_client:
        askers = [
            threading.Thread(
                target=lambda: statuses.append(test_client.post("/v1/ask", json={"question": "q?"}).status_code)
            )
            for _ in range(5)
        ]
        for t in askers:
            t.start()
        deadline = time.monotonic() + 10
        while retriever.running < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.3)  # time for a third ask to start, were it allowed to
        try:
            assert retriever.running == 2
            # Health answers while every slot is taken.
            assert test_client.get("/healthz").status_code == 200
        finally:
            retriever.release.set()
            for t in askers:
                t.join(timeout=30)
    assert statuses == [200] * 5
    assert retriever.most_at_once == 2


def test_an_article_is_stored_while_questions_hold_every_work_slot() -> None:
    retriever, ingestor = GatedRetriever(), RecordingIngestor()
    test_client, _ = make_client(retriever=retriever, ingestor=ingestor, work_slots=2)
    with test_client:
        askers = [
            threading.Thread(target=lambda: test_client.post("/v1/ask", json={"question": "q?"})) for _ in range(3)
        ]
        for t in askers:
            t.start()
        deadline = time.monotonic() + 10
        while retriever.running < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        try:
            assert retriever.running == 2
            # Writes have a slot of their own: the ingest does not queue behind the questions.
            stored = test_client.post("/v1/articles", json={"title": "Ferry strike", "text": "Crews walked out."})
            assert stored.status_code == 201, stored.text
            assert [d.title for d in ingestor.drafts] == ["Ferry strike"]
            assert retriever.running == 2
        finally:
            retriever.release.set()
            for t in askers:
                t.join(timeout=30)


def test_work_slots_default_to_one_per_cpu_and_at_least_two() -> None:
    assert slot_count(3) == 3
    assert slot_count(None) == max(2, len(os.sched_getaffinity(0)))


# ----- conversations -----------------------------------------------------------------------------


def test_a_follow_up_continues_the_conversation_under_the_same_filters() -> None:
    retriever = FakeRetriever()
    test_client, _ = make_client(retriever=retriever)
    with test_client:
        first = test_client.post(
            "/v1/ask",
            json={"question": "how did the council vote?", "as_of": "2024-03-06", "sources": ["Harbour Times"]},
        ).json()
        conversation = first["conversation_id"]
        assert conversation and first["standalone_question"] == "how did the council vote?"
        second = test_client.post(
            "/v1/ask", json={"question": "and what did it cost?", "conversation_id": conversation}
        ).json()
        assert second["conversation_id"] == conversation and second["question"] == "and what did it cost?"
        turns = test_client.get(f"/v1/conversations/{conversation}").json()["turns"]
    assert [t["question"] for t in turns] == ["how did the council vote?", "and what did it cost?"]
    assert [t["n"] for t in turns] == [1, 2] and turns[1]["follow_up"] is True
    # the follow-up was searched under the first turn's date and outlet
    assert retriever.calls[-1]["as_of"] == datetime(2024, 3, 6, 23, 59, 59, tzinfo=UTC)
    assert retriever.calls[-1]["sources"] == ["Harbour Times"]


def test_a_follow_up_may_change_the_filters() -> None:
    retriever = FakeRetriever()
    test_client, _ = make_client(retriever=retriever)
    with test_client:
        first = test_client.post(
            "/v1/ask", json={"question": "how did the council vote?", "as_of": "2024-03-06"}
        ).json()
        test_client.post(
            "/v1/ask", json={"question": "and now?", "as_of": "2025-01-01", "conversation_id": first["conversation_id"]}
        )
    assert retriever.calls[-1]["as_of"] == datetime(2025, 1, 1, 23, 59, 59, tzinfo=UTC)


def test_with_api_keys_a_conversation_is_readable_only_with_the_key_that_made_it() -> None:
    test_client, _ = make_client(api_keys=[KEY, "k-other"])
    with test_client:
        made = test_client.post(
            "/v1/ask", json={"question": "how did the council vote?"}, headers={"X-API-Key": KEY}
        ).json()
        conversation = made["conversation_id"]
        assert test_client.get(f"/v1/conversations/{conversation}", headers={"X-API-Key": KEY}).status_code == 200
        assert_error(
            test_client.get(f"/v1/conversations/{conversation}", headers={"X-API-Key": "k-other"}),
            404,
            "conversation_not_found",
        )
        assert_error(test_client.get(f"/v1/conversations/{conversation}"), 404, "conversation_not_found")
        follow = test_client.post(
            "/v1/ask", json={"question": "why?", "conversation_id": conversation}, headers={"X-API-Key": "k-other"}
        )
        assert_error(follow, 404, "conversation_not_found")


def test_a_full_conversation_is_refused_with_a_clear_409() -> None:
    test_client, _ = make_client(conversation_max_turns=2)
    with test_client:
        conversation = test_client.post("/v1/ask", json={"question": "how did the council vote?"}).json()[
            "conversation_id"
        ]
        assert (
            test_client.post("/v1/ask", json={"question": "why?", "conversation_id": conversation}).status_code == 200
        )
        error = assert_error(
            test_client.post("/v1/ask", json={"question": "when?", "conversation_id": conversation}),
            409,
            "conversation_full",
        )
        assert "2 turns" in error["message"] and "new conversation" in error["message"]


def test_unknown_and_malformed_conversation_ids_are_json_404s(client: TestClient) -> None:
    for response in (
        client.get("/v1/conversations/AAAAAAAAAAAAAAAAAAAAAA"),
        client.get("/v1/conversations/slack:C1:1700000000.000100"),
        client.post("/v1/ask", json={"question": "why?", "conversation_id": "AAAAAAAAAAAAAAAAAAAAAA"}),
    ):
        assert_error(response, 404, "conversation_not_found")


def test_a_streamed_answer_is_remembered_in_its_conversation(client: TestClient) -> None:
    response = client.post(
        "/v1/ask", json={"question": "how did the council vote?"}, headers={"Accept": "text/event-stream"}
    )
    events = parse_sse(response.text)
    assert events[0][0] == "retrieval"
    answer = events[-1][1]
    turns = client.get(f"/v1/conversations/{answer['conversation_id']}").json()["turns"]
    assert len(turns) == 1 and turns[0]["answer"] == answer["answer"]


def test_the_ask_page_keeps_the_conversation_as_a_thread_without_javascript(client: TestClient) -> None:
    first = client.get("/", params={"q": "how did the council vote?"})
    conversation = re.search(r'<input type="hidden" name="c" value="([A-Za-z0-9_-]{22})">', first.text)
    assert first.status_code == 200 and conversation, first.text
    cid = conversation.group(1)
    second = client.get("/", params={"q": "and what did it cost?", "c": cid})
    assert second.status_code == 200
    thread = second.text.split('<section class="thread"', 1)[1].split("</section>", 1)[0]
    assert "how did the council vote?" in thread  # the earlier turn, above the new answer
    assert "You asked</span> and what did it cost?" in second.text.split('<section class="answer', 1)[1]
    # reloading the page shows the thread again without asking again
    client.get("/", params={"q": "and what did it cost?", "c": cid})
    assert len(client.get(f"/v1/conversations/{cid}").json()["turns"]) == 2
    # an expired or unknown conversation says so, and the question starts a new one
    lost = client.get("/", params={"q": "how did the council vote?", "c": "AAAAAAAAAAAAAAAAAAAAAA"})
    assert lost.status_code == 200 and "expired or does not exist" in lost.text
