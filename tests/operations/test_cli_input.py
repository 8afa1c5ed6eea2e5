"""Hostile and broken input through the real ``newsdesk`` command line: refused or failed alone, clearly.

Each test runs the installed ``newsdesk`` in a subprocess over a fresh embedded archive, the way a
newsroom script would, and then checks what the archive holds.
"""

from __future__ import annotations

import json
import re
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from newsdesk_processes import live_server

pytestmark = pytest.mark.slow

PAGE = b"""<!doctype html><html><head><title>Internal memo</title></head>
<body><article><h1>Internal memo</h1><p>Only machines inside the newsroom should ever read this page,
which stands for an admin panel or a cloud metadata service on a private address.</p></article></body></html>"""


class LocalPages:
    """An HTTP server on 127.0.0.1 serving one page and recording every request it gets."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        pages = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                pages.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(PAGE)))
                self.end_headers()
                self.wfile.write(PAGE)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def local_pages() -> Iterator[LocalPages]:
    pages = LocalPages()
    yield pages
    pages.close()


@pytest.fixture
def cli_env(tmp_path: Path, model_cache: Path) -> dict[str, str]:
    """A fresh embedded archive of this test's own, no other NEWSDESK_* setting."""
    return live_server.clean_env(NEWSDESK_DATA_DIR=str(tmp_path / "data"), NEWSDESK_MODEL_CACHE=str(model_cache))


def newsdesk(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(live_server.NEWSDESK), *args], env=env, capture_output=True, text=True, timeout=600)


def stored_articles(env: dict[str, str]) -> int:
    stats = newsdesk("stats", "--json", env=env)
    assert stats.returncode == 0, stats.stderr[-2000:]
    return int(json.loads(stats.stdout)["articles"])


def test_ingesting_a_loopback_url_is_refused_by_default_and_stores_nothing(
    local_pages: LocalPages, cli_env: dict[str, str]
) -> None:
    url = f"{local_pages.url}/page.html"
    run = newsdesk("ingest", url, env=cli_env)
    assert run.returncode != 0
    assert "Traceback" not in run.stderr + run.stdout
    output = (run.stdout + run.stderr).lower()
    assert url.lower() in output and "loopback" in output, run.stdout + run.stderr
    assert local_pages.requests == [], "the refused URL was fetched anyway"
    assert stored_articles(cli_env) == 0

    # The same page is stored when private addresses are allowed on purpose: the refusal above was the guard.
    allowed = newsdesk("ingest", url, env=cli_env | {"NEWSDESK_ALLOW_PRIVATE_URLS": "true"})
    assert allowed.returncode == 0, allowed.stderr[-2000:]
    assert local_pages.requests == ["/page.html"] and stored_articles(cli_env) == 1


def test_a_jsonl_file_mixing_good_and_broken_lines_stores_the_good_names_the_broken_and_exits_non_zero(
    tmp_path: Path, news_jsonl: Path, cli_env: dict[str, str]
) -> None:
    good = news_jsonl.read_text(encoding="utf-8").splitlines()
    mixed = tmp_path / "mixed.jsonl"
    lines = [
        good[0],
        '{"title": "cut off in the middle", "text": "The council vot',  # line 2: not JSON
        good[1],
        json.dumps({"title": "No text at all", "url": "https://example.org/empty"}),  # line 4: no text
        json.dumps(
            {"title": "Zürich tram", "text": "Die neue Tramlinie in Zürich fährt ab Montag."}, ensure_ascii=False
        ),
        '"just a string"',  # line 6: not an object
    ]
    latin1 = json.dumps(
        {"title": "Café Alden", "text": "Le café du port ferme après quarante ans."}, ensure_ascii=False
    ).encode("latin-1")
    mixed.write_bytes(("\n".join(lines) + "\n").encode() + latin1 + b"\n")  # line 7: Latin-1 among UTF-8
    run = newsdesk("ingest", str(mixed), "--json", env=cli_env)
    assert run.returncode == 1, (run.returncode, run.stderr[-2000:])
    assert "Traceback" not in run.stderr
    summary = json.loads(run.stdout)
    assert summary["new"] == 4 and summary["failed"] == 3, summary
    assert sorted(f["origin"] for f in summary["failures"]) == [f"{mixed}:{n}" for n in (2, 4, 6)], summary["failures"]
    assert all(f["reason"] for f in summary["failures"])
    again = newsdesk("ingest", str(mixed), env=cli_env | {"COLUMNS": "300"})  # the summary a person reads
    assert again.returncode == 1 and "Traceback" not in again.stderr
    for line in (2, 4, 6):
        assert f"failed {mixed}:{line}:" in again.stdout + again.stderr, again.stdout + again.stderr
    listed = json.loads(newsdesk("articles", "list", "--json", env=cli_env).stdout)["articles"]
    titles = {a["title"] for a in listed}
    # Neither encoding garbles the other: the UTF-8 line and the Latin-1 line both read as written.
    assert {"Zürich tram", "Café Alden"} <= titles and len(titles) == 4, titles


@pytest.mark.parametrize(
    "article_id", ["../../etc/passwd", "/etc/passwd", "0123456789abcdef/../x", "0123456789ABCDEF", "%2e%2e%2f", ""]
)
def test_path_tricks_in_article_ids_are_refused_before_the_archive_is_touched(
    article_id: str, cli_env: dict[str, str], tmp_path: Path
) -> None:
    for command in ("show", "delete"):
        run = newsdesk("articles", command, article_id, "--json", env=cli_env)
        assert run.returncode == 2, (command, run.returncode, run.stderr)
        assert "Traceback" not in run.stderr + run.stdout
        assert "is not an article id" in run.stdout + run.stderr
    assert not (tmp_path / "data").exists(), "the archive was opened for an id that is not one"


def test_an_ingest_whose_stderr_is_a_log_still_reports_its_progress(cli_env: dict[str, str]) -> None:
    # Piped stderr, as in `docker compose logs` or CI: rich's live bar would draw nothing there.
    run = newsdesk("ingest", str(live_server.PROJECT / "samples"), env=cli_env)
    assert run.returncode == 0, run.stderr[-2000:]
    progress = [line for line in run.stderr.splitlines() if line.startswith("ingesting: ")]
    assert progress, run.stderr[-2000:]
    assert re.fullmatch(r"ingesting: [1-9]\d* articles, [1-9]\d* chunks \(\d+:\d\d\)", progress[-1]), progress


def test_an_empty_question_or_query_and_dates_no_article_can_fall_between_are_usage_errors(
    cli_env: dict[str, str],
) -> None:
    wide = cli_env | {"COLUMNS": "300"}
    empty = newsdesk("ask", "   ", env=wide)
    assert empty.returncode == 2 and "the question is empty" in empty.stderr, empty.stderr[-2000:]
    nothing = newsdesk("search", "", env=wide)
    assert nothing.returncode == 2 and "the query is empty" in nothing.stderr, nothing.stderr[-2000:]
    window = ("--since", "2024-03-10", "--until", "2024-03-06")
    for args in (("ask", "who won?", *window), ("search", "tram", *window), ("articles", "list", *window)):
        run = newsdesk(*args, env=wide)
        assert run.returncode == 2, (args, run.stdout, run.stderr[-2000:])
        assert "since (2024-03-10) is after until (2024-03-06)" in run.stderr and "Traceback" not in run.stderr
    later = newsdesk("ask", "who won?", "--since", "2024-03-10", "--as-of", "2024-03-06", env=wide)
    assert later.returncode == 2 and "is after as_of (2024-03-06)" in later.stderr, later.stderr[-2000:]
    # The same range of passages as over HTTP (1 to 50).
    assert newsdesk("ask", "who won?", "--k", "50", env=wide).returncode == 0
    assert newsdesk("ask", "who won?", "--k", "51", env=wide).returncode == 2


def test_listing_articles_until_a_day_includes_that_days_articles(tmp_path: Path, cli_env: dict[str, str]) -> None:
    article = tmp_path / "tram.json"
    article.write_text(
        json.dumps(
            {
                "title": "Council approves river tram line",
                "text": "The Port Alden city council voted 31 to 14 on Tuesday to build a tram line.",
                "published_at": "2024-03-05T09:30:00+01:00",
            }
        ),
        encoding="utf-8",
    )
    assert newsdesk("ingest", str(article), env=cli_env).returncode == 0
    for until, expected in (("2024-03-05", 1), ("2024-03-04", 0)):
        run = newsdesk("articles", "list", "--until", until, "--json", env=cli_env)
        assert run.returncode == 0, run.stderr[-2000:]
        assert len(json.loads(run.stdout)["articles"]) == expected, until
