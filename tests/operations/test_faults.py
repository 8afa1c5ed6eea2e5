"""Faults a newsroom will meet, each against real processes: the store going away, a killed ingest,
a read-only or full disk, and an LLM endpoint that is down or slow.

Every test here fails if its protection is removed: a 500 or a crashed server instead of a 503,
duplicates or orphan chunks after a killed ingest, a traceback instead of a reason, an LLM stall
passed on to the reader.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import chromadb
import httpx
import numpy as np
import pytest
from chroma_process import ChromaServer
from newsdesk_processes import PROJECT, eventually, live_server, load_by_path

from bench.launcher import free_port

pytestmark = pytest.mark.slow

fake_openai = load_by_path("newsdesk_operations_fake_openai", PROJECT / "tests" / "service" / "fake_openai.py")

QUESTION = {"question": "How much will the Port Alden tram line cost?"}


def run_newsdesk(*args: str, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """``newsdesk ARGS`` to completion, output captured."""
    return subprocess.run([str(live_server.NEWSDESK), *args], env=env, capture_output=True, text=True, timeout=timeout)


def assert_contract_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The response is the contract's JSON error with this status and code, and no traceback."""
    assert response.status_code == status, response.text[:2000]
    assert "Traceback" not in response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message"], error
    return dict(error)


# ----- the Chroma server stops mid-traffic ----------------------------------------------------------


class Traffic(threading.Thread):
    """Readers asking and searching in a loop, recording every status; transport errors are recorded too."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url = url
        self.statuses: Counter[int | str] = Counter()
        self.bad: list[str] = []  # anything other than 200 or the contract's 503
        self._halt = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.url, timeout=60, trust_env=False) as client:
            while not self._halt.is_set():
                for send in (
                    lambda: client.post("/v1/ask", json=QUESTION),
                    lambda: client.get("/v1/search", params={"q": "tram line"}),
                ):
                    try:
                        response = send()
                    except httpx.HTTPError as exc:
                        self.statuses[type(exc).__name__] += 1
                        self.bad.append(f"transport: {exc!r}")
                        continue
                    self.statuses[response.status_code] += 1
                    if response.status_code == 503:
                        body = response.json()
                        if body.get("error", {}).get("code") != "store_unavailable":
                            self.bad.append(f"503 {response.text[:300]}")
                    elif response.status_code != 200:
                        self.bad.append(f"{response.status_code} {response.text[:300]}")

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=120)


def test_chroma_stopping_mid_traffic_gives_503s_then_recovers_without_a_restart(
    tmp_path: Path, news_jsonl: Path, model_cache: Path, servers: list
) -> None:
    """Store down: clear 503s and a degraded health check, the process lives on; store back: answers again."""
    chroma = ChromaServer(tmp_path / "chroma", free_port())
    chroma.start()
    try:
        env = live_server.clean_env(
            NEWSDESK_CHROMA_URL=chroma.url,
            NEWSDESK_COLLECTION_PREFIX="faults",
            NEWSDESK_MODEL_CACHE=str(model_cache),
            NEWSDESK_DATA_DIR=str(tmp_path / "data"),
        )
        ingest = run_newsdesk("ingest", str(news_jsonl), env=env)
        assert ingest.returncode == 0, ingest.stderr[-3000:]
        (tmp_path / "data").mkdir(exist_ok=True)
        server = live_server.start_server(tmp_path / "data", tmp_path / "serve.log", env)
        servers.append(server)
        traffic = Traffic(server.url)
        traffic.start()
        with server.client(timeout=60) as client:
            eventually(lambda: traffic.statuses[200] >= 4 or None, 120, "answers before the outage")

            chroma.stop()
            eventually(lambda: traffic.statuses[503] >= 4 or None, 60, "503s while the store is down")
            error = assert_contract_error(client.post("/v1/ask", json=QUESTION), 503, "store_unavailable")
            assert "Chroma server is unreachable" in error["message"]
            assert_contract_error(client.get("/v1/search", params={"q": "tram"}), 503, "store_unavailable")
            health = client.get("/healthz")
            assert health.status_code == 200 and health.json()["status"] == "degraded", health.text
            assert health.json()["store"]["reachable"] is False
            assert server.process.poll() is None, "the server died with its store"

            chroma.start()  # same port, same data

            def answered() -> dict[str, Any] | None:
                response = client.post("/v1/ask", json=QUESTION)
                return response.json() if response.status_code == 200 else None

            answer, _ = eventually(answered, 60, "an answer once the store is back")
            assert answer["answered"] and "[1]" in answer["answer"], answer
            assert client.get("/healthz").json()["status"] == "ok"
            served_before = traffic.statuses[200]
            eventually(
                lambda: traffic.statuses[200] >= served_before + 4 or None, 60, "the readers' traffic flowing again"
            )
        traffic.stop()
        assert traffic.bad == [], traffic.bad[:5]
        assert server.process.poll() is None
        assert "Traceback" not in server.log()
    finally:
        chroma.stop()


# ----- kill -9 during an ingest ---------------------------------------------------------------------


def archive_snapshot(client: chromadb.ClientAPI, prefix: str) -> dict[str, Any]:
    """Everything stored under ``prefix`` that a rerun must reproduce, keyed by id (vectors apart)."""
    articles = client.get_collection(f"{prefix}-articles").get(include=["metadatas", "documents"])
    chunks = client.get_collection(f"{prefix}-chunks").get(include=["metadatas", "documents", "embeddings"])
    # When an article was ingested is the one field that differs between two correct runs.
    article_rows = {
        i: ({k: v for k, v in m.items() if k != "ingested_at"}, d)
        for i, m, d in zip(articles["ids"], articles["metadatas"], articles["documents"], strict=False)
    }
    chunk_rows = {i: (m, d) for i, m, d in zip(chunks["ids"], chunks["metadatas"], chunks["documents"], strict=False)}
    vectors = {i: np.asarray(v, dtype=np.float32) for i, v in zip(chunks["ids"], chunks["embeddings"], strict=False)}
    return {"articles": article_rows, "chunks": chunk_rows, "vectors": vectors}


def test_an_ingest_killed_midway_then_rerun_equals_one_clean_run(
    chroma_server: ChromaServer, realtimeqa_articles: Path, tmp_path: Path, model_cache: Path
) -> None:
    """SIGKILL after a few batches are stored; the rerun leaves no duplicates and no orphan chunks."""
    killed_prefix, clean_prefix = "killed" + os.urandom(3).hex(), "clean" + os.urandom(3).hex()
    shared = {
        "NEWSDESK_CHROMA_URL": chroma_server.url,
        "NEWSDESK_MODEL_CACHE": str(model_cache),
        "NEWSDESK_INGEST_BATCH_ARTICLES": "3",
    }
    killed_env = live_server.clean_env(
        NEWSDESK_DATA_DIR=str(tmp_path / "k"), NEWSDESK_COLLECTION_PREFIX=killed_prefix, **shared
    )
    clean_env = live_server.clean_env(
        NEWSDESK_DATA_DIR=str(tmp_path / "c"), NEWSDESK_COLLECTION_PREFIX=clean_prefix, **shared
    )
    total = len(realtimeqa_articles.read_text().splitlines())
    store = chromadb.HttpClient(host="127.0.0.1", port=chroma_server.port)

    ingest = subprocess.Popen(
        [str(live_server.NEWSDESK), "ingest", str(realtimeqa_articles)],
        env=killed_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def stored() -> int | None:
            try:
                count = store.get_collection(f"{killed_prefix}-articles").count()
            except Exception:  # the collection is not made yet
                return None
            return count if count >= 6 else None

        at_kill, _ = eventually(stored, 300, "the first batches being stored")
        os.kill(ingest.pid, signal.SIGKILL)
        ingest.wait(timeout=30)
    finally:
        if ingest.poll() is None:
            os.kill(ingest.pid, signal.SIGKILL)
            ingest.wait()
    assert ingest.returncode == -signal.SIGKILL
    partial = store.get_collection(f"{killed_prefix}-articles").count()
    assert partial < total, f"the ingest finished ({partial} articles) before it was killed: the test proved nothing"

    rerun = run_newsdesk("ingest", str(realtimeqa_articles), "--json", env=killed_env)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    summary = json.loads(rerun.stdout)
    assert summary["unchanged"] >= at_kill and summary["failed"] == 0, summary
    clean = run_newsdesk("ingest", str(realtimeqa_articles), env=clean_env)
    assert clean.returncode == 0, clean.stderr[-3000:]

    recovered, reference = archive_snapshot(store, killed_prefix), archive_snapshot(store, clean_prefix)
    assert len(reference["articles"]) == total
    assert recovered["articles"] == reference["articles"]  # same ids, texts and metadata: no duplicates
    assert recovered["chunks"] == reference["chunks"]  # same chunk ids, texts, offsets: no orphans
    hashes = {i: meta["content_hash"] for i, (meta, _) in recovered["articles"].items()}
    assert all(hashes.get(meta["article_id"]) == meta["content_hash"] for meta, _ in recovered["chunks"].values())
    # int8 inference depends a little on which texts share a batch, so vectors match closely, not bit for bit.
    cosines = [float(recovered["vectors"][i] @ reference["vectors"][i]) for i in reference["vectors"]]
    assert min(cosines) > 0.99, min(cosines)


# ----- a read-only or full data folder --------------------------------------------------------------


def in_private_mounts(script: str, tmp_path: Path, env: dict[str, str]) -> None:
    """Run ``script`` (sh) in a mount namespace of its own, so its tmpfs mounts vanish with it.

    Mounting needs root or user namespaces; without them the test fails rather than skips,
    because CI must exercise it.
    """
    path = tmp_path / "script.sh"
    path.write_text("set -eu\n" + script)
    result = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        pytest.fail(f"the mount namespace script failed ({result.returncode}): {result.stderr[-3000:]}")


def newsdesk_line(name: str, *args: str) -> str:
    """A script line running ``newsdesk ARGS`` that keeps its output and exit code in files ``name.*``."""
    command = shlex.join([str(live_server.NEWSDESK), *args])
    return f'{command} > "$OUT/{name}.out" 2> "$OUT/{name}.err" && echo 0 > "$OUT/{name}.rc" || echo $? > "$OUT/{name}.rc"\n'


def outcome(out: Path, name: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of a ``newsdesk_line``."""
    return int((out / f"{name}.rc").read_text()), (out / f"{name}.out").read_text(), (out / f"{name}.err").read_text()


def assert_clear_failure(out: Path, name: str, *phrases: str) -> str:
    """The command exited 1 with a one-line reason holding ``phrases``, and no traceback."""
    code, _, err = outcome(out, name)
    assert code == 1, (code, err[-3000:])
    assert "Traceback" not in err, err[-3000:]
    lowered = " ".join(err.lower().split())  # the terminal wraps long messages
    assert all(p.lower() in lowered for p in phrases), err[-3000:]
    return err


@pytest.fixture
def mount_env(tmp_path: Path, model_cache: Path) -> dict[str, str]:
    """The environment of the namespace scripts: an embedded archive under ``$DATA``, results in ``$OUT``."""
    (tmp_path / "data").mkdir()
    (tmp_path / "out").mkdir()
    return live_server.clean_env(
        NEWSDESK_DATA_DIR=str(tmp_path / "data"),
        NEWSDESK_MODEL_CACHE=str(model_cache),
        DATA=str(tmp_path / "data"),
        OUT=str(tmp_path / "out"),
    )


def test_a_read_only_data_folder_is_a_clear_error(tmp_path: Path, news_jsonl: Path, mount_env: dict[str, str]) -> None:
    """A new archive on a read-only folder, and an existing archive whose disk became read-only."""
    script = (
        'mount -t tmpfs -o size=64m,ro tmpfs "$DATA"\n'
        + newsdesk_line("fresh", "ingest", str(news_jsonl))
        + 'mount -o remount,rw "$DATA"\n'
        + newsdesk_line("setup", "ingest", str(news_jsonl))
        + 'mount -o remount,ro "$DATA"\n'
        + newsdesk_line("ingest", "ingest", str(news_jsonl))
        + newsdesk_line("ask", "ask", QUESTION["question"])
    )
    in_private_mounts(script, tmp_path, mount_env)
    out = tmp_path / "out"
    assert_clear_failure(out, "fresh", "cannot create the data folder", "read-only")
    assert outcome(out, "setup")[0] == 0, outcome(out, "setup")[2][-3000:]
    for name in ("ingest", "ask"):
        assert_clear_failure(out, name, "is read-only; newsdesk needs to write there")


def test_a_full_disk_is_a_clear_error_and_a_rerun_after_freeing_space_stores_everything(
    tmp_path: Path, realtimeqa_articles: Path, mount_env: dict[str, str]
) -> None:
    """30 articles onto a 2 MB disk: exit 1 saying the disk is full; on a bigger disk the rerun stores all 30."""
    script = (
        'mount -t tmpfs -o size=2m tmpfs "$DATA"\n'
        + newsdesk_line("full", "ingest", str(realtimeqa_articles))
        + 'mount -o remount,size=64m "$DATA"\n'
        + newsdesk_line("rerun", "ingest", str(realtimeqa_articles), "--json")
        + newsdesk_line("stats", "stats", "--json")
    )
    in_private_mounts(script, tmp_path, mount_env)
    out = tmp_path / "out"
    assert_clear_failure(out, "full", "full")
    code, stdout, err = outcome(out, "rerun")
    assert code == 0, err[-3000:]
    assert json.loads(stdout)["failed"] == 0
    stats = json.loads(outcome(out, "stats")[1])
    assert stats["articles"] == 30, stats


# ----- an LLM endpoint that is slow, then down ------------------------------------------------------


def test_a_slow_then_down_llm_falls_back_to_the_extractive_answer_and_says_so(
    tmp_path: Path, news_jsonl: Path, model_cache: Path, servers: list
) -> None:
    """``newsdesk serve`` with an OpenAI-compatible LLM that stalls past the timeout, then is gone."""
    with fake_openai.FakeOpenAI() as llm:
        llm.delay_s = 10
        llm.reply = '{"short_answer": "too late", "evidence": [1], "sentence": null}'
        data = tmp_path / "data"
        env = live_server.clean_env(
            NEWSDESK_DATA_DIR=str(data),
            NEWSDESK_MODEL_CACHE=str(model_cache),
            NEWSDESK_LLM="openai",
            NEWSDESK_LLM_BASE_URL=llm.url,
            NEWSDESK_LLM_MODEL="fake-model",
            NEWSDESK_LLM_TIMEOUT_S="2",
        )
        ingest = run_newsdesk("ingest", str(news_jsonl), env=env)
        assert ingest.returncode == 0, ingest.stderr[-3000:]
        server = live_server.start_server(data, tmp_path / "serve.log", env)
        servers.append(server)
        with server.client(timeout=60) as client:
            started = time.monotonic()
            slow = client.post("/v1/ask", json=QUESTION)
            waited = time.monotonic() - started
            assert slow.status_code == 200, slow.text
            assert llm.requests, "the LLM was never asked"
            assert waited < 8, f"the reader waited {waited:.1f} s on a 2 s LLM timeout"
            answer = slow.json()
            assert answer["answered"] and answer["answerer"] == "extractive", answer
            note = " ".join(answer["notes"])
            assert "LLM unavailable (" in note and "timed out" in note, answer["notes"]
            assert "[1]" in answer["answer"] and answer["citations"]
    # The fake LLM is shut down: nothing listens at its address any more.
    down = client_ask(server)
    assert down["answered"] and down["answerer"] == "extractive", down
    assert "LLM unavailable (connection failed); extractive answer given" in down["notes"], down["notes"]


def client_ask(server: Any) -> dict[str, Any]:
    """One ask through a fresh client; the 200 answer's body."""
    with server.client(timeout=60) as client:
        response = client.post("/v1/ask", json=QUESTION)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_port_already_taken_is_a_clear_error_and_a_clean_exit(
    tmp_path: Path, news_jsonl: Path, model_cache: Path
) -> None:
    env = live_server.clean_env(NEWSDESK_DATA_DIR=str(tmp_path / "data"), NEWSDESK_MODEL_CACHE=str(model_cache))
    assert run_newsdesk("ingest", str(news_jsonl), env=env).returncode == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        # The server loads everything and starts its background threads before it binds: they must
        # be stopped and waited for, or the interpreter's exit can crash in them (it segfaulted here).
        served = run_newsdesk("serve", "--host", "127.0.0.1", "--port", str(port), env=env, timeout=300)
    assert served.returncode == 3, (served.returncode, served.stderr[-3000:])  # uvicorn's startup failure
    assert "address already in use" in served.stderr and "Traceback" not in served.stderr
