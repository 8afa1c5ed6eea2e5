"""How newsdesk's costs grow with the archive: a store filled to 10k, 100k and 1M chunks, measured at each size.

**Pool.** Real chunk texts with their real stored vectors, read once from an existing archive (by default the
evaluation archive ``newsdesk eval`` builds, ``/tmp/evaldata``, prefix ``newsdesk-eval-realtimeqa``: 26,483
chunks of 2,813 RealTime QA articles). The archive is never opened where it lies: it is copied (``cp -a``)
to a scratch folder, read there and the copy removed; the pool is cached in ``bench/results/scale/pool-*``.
Without such an archive (``--pool-articles N``), N development articles of the dataset are ingested once with
``newsdesk ingest`` into a scratch archive and read back the same way (the model then embeds them once).

**Fill.** New articles are assembled from the pool, deterministically from their number: 3 to 15 chunks (the
pool's mean is 9.4), each the first half (at a sentence boundary) of one pool chunk followed by the second
half of another, with the normalised sum of the two stored vectors as its vector. So every chunk text is new
(no two chunks are copies, which would let the search's near-duplicate folding shrink results as the
archive grows) while the words, the vocabulary and the neighbourhoods of the vectors are those of real news.
Each article gets a new id, a title and an outlet and authors taken from pool articles, and a date drawn
from 2025-09-01 .. 2026-04-30 (the dataset's span). They are written with ``ArchiveStore.save`` in batches of
``--batch-articles`` (100) articles, the store's crash-safe order and its revision stamp as a real ingest
writes them. The folder keeps a marker (``bench-scale.json``) of how far it was filled, so the sizes are
filled incrementally in one folder (10k, then 90k more, then 900k more) and ``--data-dir`` reuses a filled
folder. ``chunks_per_s`` is the rate of the fill step that reached the size (the model is not in it).

**At each size**, one real ``newsdesk serve`` on 127.0.0.1 over the folder (bench/launcher.py; the caller's
``NEWSDESK_*`` variables dropped, an API key of this run set), ready once ``/healthz`` says ``ready`` and its
lexical index ``current`` (a filled folder's index is built at the first start: ``startup_s`` includes it), then:

* ``ask`` / ``search``: ``--questions`` (60) development questions of RealTime QA (bench/serve.py's shuffled
  order; as of their quiz dates), after 3 untimed warm-up asks, one request at a time, alternating
  ``POST /v1/ask`` and ``GET /v1/search`` (k = 8); p50/p95 of the wall time around each request;
* with ``--baseline-chunks N``, a second server over a folder of its own filled to N chunks
  (``WORK/baseline-N``) runs beside it during those requests, each request going to both in turn (the order
  rotating), and ``ask_p50_vs_baseline`` / ``search_p50_vs_baseline`` are this size's p50s over the
  baseline's (``baseline_ask_p50_ms``...): on a shared machine a later size's load differs from the first's,
  so ``*_vs_first`` compares different moments, the baseline the same one;
* ``rss_mb``: the server's resident memory after those requests (psutil on its PID);
* freshness: one new article (real pool text carrying a made-up word that occurs nowhere else, and a date
  no other article has) is sent with ``POST /v1/articles``; from the moment its 201 arrives, ``GET /v1/search``
  is polled every ``--poll-s`` (0.5) seconds, or every 5 % of the time waited so far when that is longer (a poll
  is a search on the same cores as the update it waits for), with two queries:
  - *dense*: another made-up word that is in no article, restricted with ``since``/``until`` to the probe's
    date. Lexical search cannot match a word that no article holds, so the probe article in these results
    was found by dense search (the date window admits only it);
  - *lexical*: the article's made-up word, no filters. Dense search ranks a nonsense word's neighbours
    among the whole archive; after the run, with the server stopped, the benchmark embeds that word itself
    and checks that the probe article is not among the store's 40 nearest chunks for it (the dense
    candidates of a search). ``lexical_probe_dense_clear`` reports it: true means a hit can only be lexical.
  ``fresh_s`` is the later of the two (found by both), ``lexical_update_s`` the lexical one: the time the
  server's lexical index takes to take in a write, seen from outside (today: the watcher's wait of up to
  4x the last rebuild's duration, then a full rebuild). ``write_cpu_s`` is the server's CPU time from the POST
  to the lexical hit, the polls' own searches included (``polls`` of them).
* ``disk_mb``: the data folder's size (``du``) after the run.

The servers' logs and every run's JSON are in ``bench/results/scale/``. ``--chunks N`` measures one size;
``--json`` prints ``{"runs": [...]}`` on stdout (progress goes to stderr); without it a table is printed.

Run from the project root: ``.venv/bin/python bench/scale.py [--chunks 10000] [--data-dir DIR] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import psutil
from ingest_speed import DEFAULT_DATASET, select_articles
from launcher import Launched, LaunchError, answers, free_port, launch
from rich.console import Console
from rich.table import Table
from serve import bench_env, dev_questions, percentile

from ingest.embedding import embedding_identity, load_embedder
from ingest.identity import article_id, content_hash, text_fingerprint
from ingest.models import Article, ArticleDraft, Chunk
from ingest.settings import IngestSettings
from ingest.store import ArchiveStore, open_store
from ingest.store.archive import ArticleVersion

HERE = Path(__file__).resolve().parent
WORK = HERE / "results" / "scale"
NEWSDESK = Path(sys.executable).parent / "newsdesk"
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
DEFAULT_POOL_STORE = Path("/tmp/evaldata")
DEFAULT_POOL_PREFIX = "newsdesk-eval-realtimeqa"
API_KEY = "bench-scale-key"  # a key of this run's server only, set through NEWSDESK_API_KEYS
MARKER = "bench-scale.json"
SEARCH_K = 8
DENSE_CANDIDATES = 40  # the dense candidates a search draws (service/retrieval/hybrid.py RetrievalConfig)
FIRST_DAY, LAST_DAY = date(2025, 9, 1), date(2026, 4, 30)
WARMUP_QUESTIONS = 3
POLL_BACKOFF = 0.05
_PAGE = 1000
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def say(message: str) -> None:
    """Progress on stderr, so ``--json`` leaves stdout one JSON document."""
    print(message, file=sys.stderr, flush=True)


# ----- the pool: real chunk texts and their stored vectors -----------------------------------------


@dataclass
class Pool:
    """Chunk texts, their vectors (unit length), and the article metadata new articles borrow."""

    texts: list[str]
    vectors: np.ndarray
    titles: list[str]
    sources: list[str]
    authors: list[list[str]]

    def save(self, stem: Path) -> None:
        np.save(stem.with_suffix(".npy"), self.vectors)
        meta = {"texts": self.texts, "titles": self.titles, "sources": self.sources, "authors": self.authors}
        stem.with_suffix(".json").write_text(json.dumps(meta))

    @classmethod
    def load(cls, stem: Path) -> Pool:
        meta = json.loads(stem.with_suffix(".json").read_text())
        return cls(meta["texts"], np.load(stem.with_suffix(".npy")), meta["titles"], meta["sources"], meta["authors"])


def read_pool(store: ArchiveStore) -> Pool:
    """Every committed chunk of ``store`` with its stored vector, and its articles' titles, outlets, authors."""
    texts: list[str] = []
    vectors: list[np.ndarray] = []
    titles: dict[str, str] = {}
    sources: dict[str, str] = {}
    authors: dict[str, list[str]] = {}
    offset = 0
    while True:
        # The stored vectors are what this benchmark reuses; the store's own readers never return them.
        got = store.chunks.get(include=["embeddings", "documents", "metadatas"], limit=_PAGE, offset=offset)
        if not got["ids"]:
            break
        # Chroma types a metadata value as any it can store; these rows are the store's own (string ids, hashes).
        metas: list[dict[str, Any]] = [dict(m or {}) for m in got["metadatas"] or []]
        headers = store.get_headers(sorted({m["article_id"] for m in metas}))
        embeddings = got["embeddings"] if got["embeddings"] is not None else []
        for meta, doc, vector in zip(metas, got["documents"] or [], embeddings, strict=True):
            header = headers.get(meta["article_id"])
            if header is None or header.get("content_hash") != meta["content_hash"] or not doc:
                continue  # an uncommitted or superseded version
            texts.append(doc)
            vectors.append(np.asarray(vector, dtype=np.float32))
            titles[meta["article_id"]] = str(header.get("title") or "")
            sources[meta["article_id"]] = str(header.get("source") or "")
            authors[meta["article_id"]] = json.loads(header.get("authors") or "[]")
        offset += len(got["ids"])
    if not texts:
        raise SystemExit("the pool archive holds no chunks")
    matrix = np.stack(vectors)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    ids = sorted(titles)
    return Pool(texts, matrix, [titles[i] for i in ids], [sources[i] for i in ids], [authors[i] for i in ids])


def pool_from_store(source: Path, prefix: str, work: Path) -> Pool:
    """Read the pool from a copy of the archive at ``source`` (the original is never opened)."""
    with tempfile.TemporaryDirectory(dir=work, prefix="pool-copy-") as scratch:
        copy = Path(scratch) / "archive"
        say(f"copying {source} to {copy} to read its chunks and vectors (once) ...")
        subprocess.run(["cp", "-a", str(source), str(copy)], check=True)
        settings = IngestSettings(data_dir=copy, collection_prefix=prefix)
        name, dimension = embedding_identity(settings)
        store = open_store(settings, name, dimension)
        if store.count()["chunks"] == 0:
            raise SystemExit(f"{source} holds no chunks under the collection prefix {prefix!r}")
        return read_pool(store)


def pool_from_dataset(articles: int, work: Path, model_cache: Path) -> Pool:
    """Ingest ``articles`` development articles once into a scratch archive and read it back."""
    lines = select_articles(DEFAULT_DATASET, articles)
    with tempfile.TemporaryDirectory(dir=work, prefix="pool-build-") as scratch:
        corpus = Path(scratch) / "pool_gcs.jsonl"
        corpus.write_text("".join(json.dumps(line) + "\n" for line in lines))
        say(f"embedding {articles} development articles for the pool (once) ...")
        env = bench_env(Path(scratch) / "data") | {"NEWSDESK_MODEL_CACHE": str(model_cache)}
        run = subprocess.run([str(NEWSDESK), "ingest", str(corpus), "--json"], env=env, capture_output=True, text=True)
        if run.returncode not in (0, 1):  # 1: some items failed, the rest are stored
            raise SystemExit(f"newsdesk ingest failed ({run.returncode}):\n{run.stderr[-3000:]}")
        settings = IngestSettings(data_dir=Path(scratch) / "data", model_cache=model_cache)
        name, dimension = embedding_identity(settings)
        return read_pool(open_store(settings, name, dimension))


def load_pool(args: argparse.Namespace) -> Pool:
    """The cached pool, or read it (from the archive, or from ``--pool-articles`` dataset articles)."""
    stem = args.work / (f"pool-dataset-{args.pool_articles}" if args.pool_articles else f"pool-{args.pool_prefix}")
    if stem.with_suffix(".npy").exists() and stem.with_suffix(".json").exists():
        return Pool.load(stem)
    if args.pool_articles:
        pool = pool_from_dataset(args.pool_articles, args.work, args.model_cache)
    elif (args.pool_store / "chroma").exists():
        pool = pool_from_store(args.pool_store, args.pool_prefix, args.work)
    else:
        raise SystemExit(
            f"no pool archive at {args.pool_store} (build it with `newsdesk eval realtimeqa`, name another with "
            "--pool-store/--pool-prefix, or embed a small pool with --pool-articles N)"
        )
    pool.save(stem)
    return pool


# ----- new articles assembled from the pool ---------------------------------------------------------


def halves(text: str) -> tuple[str, str]:
    """``text`` split at the sentence boundary nearest its middle (at a space when it has none)."""
    middle = len(text) // 2
    cuts = [m.start() for m in _SENTENCE_END.finditer(text)] or [m.start() for m in re.finditer(r"\s+", text)]
    if not cuts:
        return text, ""
    cut = min(cuts, key=lambda c: abs(c - middle))
    return text[:cut].strip(), text[cut:].strip()


def assemble(n: int, pool: Pool) -> ArticleVersion:
    """New article number ``n`` (the same for the same ``n`` and pool): its record, chunks and vectors."""
    rng = random.Random(n)
    parts: list[str] = []
    vectors: list[np.ndarray] = []
    for _ in range(rng.randint(3, 15)):
        a, b = rng.randrange(len(pool.texts)), rng.randrange(len(pool.texts))
        first, second = halves(pool.texts[a])[0], halves(pool.texts[b])[1]
        parts.append(f"{first} {second}".strip())
        mixed = pool.vectors[a] + pool.vectors[b]
        vectors.append(mixed / (np.linalg.norm(mixed) or 1.0))
    donor = rng.randrange(len(pool.titles))
    day = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    published = datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60), tzinfo=UTC)
    text = "\n\n".join(parts)
    draft = ArticleDraft(
        origin=f"scale:{n}",
        title=pool.titles[donor] or f"Article {n}",
        text=text,
        source=pool.sources[rng.randrange(len(pool.sources))] or None,
        authors=pool.authors[rng.randrange(len(pool.authors))],
        published_at=published,
        url=f"https://scale.bench.invalid/articles/{n}",
    )
    ident = article_id(draft)
    chunks: list[Chunk] = []
    start = 0
    for index, part in enumerate(parts):
        chunks.append(Chunk(article_id=ident, index=index, start=start, end=start + len(part), text=part))
        start += len(part) + 2
    article = Article(
        id=ident,
        title=draft.title,
        text=text,
        source=draft.source,
        authors=draft.authors,
        published_at=published,
        url=draft.url,
        urls=[draft.url or ""],
        content_hash=content_hash(draft),
        fingerprint=text_fingerprint(text),
        chunk_count=len(chunks),
        ingested_at=datetime.now(UTC),
    )
    return ArticleVersion(article=article, chunks=chunks, vectors=np.stack(vectors))


@dataclass
class Fill:
    """One fill step: chunks before and after, how long it took in all and inside ``ArchiveStore.save``."""

    chunks_before: int
    chunks: int
    articles: int
    seconds: float
    save_seconds: float

    @property
    def chunks_per_s(self) -> float | None:
        """Chunks written per second of ``save`` (the assembling of articles, the benchmark's own, left out)."""
        added = self.chunks - self.chunks_before
        return round(added / self.save_seconds, 1) if added and self.save_seconds > 0 else None


def data_store(data_dir: Path) -> ArchiveStore:
    """The store ``newsdesk serve`` over ``data_dir`` opens (default collection prefix, the bundled model)."""
    settings = IngestSettings(data_dir=data_dir)
    name, dimension = embedding_identity(settings)
    return open_store(settings, name, dimension)


def fill(data_dir: Path, target: int, pool: Pool, batch: int) -> Fill:
    """Add assembled articles to ``data_dir`` until it holds at least ``target`` chunks."""
    marker = data_dir / MARKER
    state = json.loads(marker.read_text()) if marker.exists() else {"next": 0}
    store = data_store(data_dir)
    before = store.count()["chunks"]
    chunks, started, reported, saving = before, time.perf_counter(), time.perf_counter(), 0.0
    while chunks < target:
        versions = [assemble(n, pool) for n in range(state["next"], state["next"] + batch)]
        # Trim the last batch so the size is reached, not overshot by a batch.
        kept: list[ArticleVersion] = []
        for version in versions:
            if chunks >= target:
                break
            kept.append(version)
            chunks += len(version.chunks)
        began = time.perf_counter()
        store.save(kept)
        saving += time.perf_counter() - began
        state["next"] += len(kept)
        marker.write_text(json.dumps(state))
        if time.perf_counter() - reported > 30:
            reported = time.perf_counter()
            rate = (chunks - before) / saving
            say(f"  filled {chunks:,} / {target:,} chunks ({rate:,.0f} chunks/s)")
    seconds = time.perf_counter() - started
    counts = store.count()
    return Fill(before, counts["chunks"], counts["articles"], seconds, saving)


# ----- the server ------------------------------------------------------------------------------------


def serving_and_indexed(response: httpx.Response) -> bool:
    """``/healthz`` says ready and the lexical index has caught up with the store.

    A folder the fill wrote has no lexical index yet: the server builds it in the background and
    answers meanwhile, so "ready" alone would time requests that share the cores with that repair
    and search a partial index (the first 1M run did: bench/README.md).
    """
    health = response.json()
    lexical = health.get("lexical")
    return bool(health.get("ready")) and (lexical is None or bool(lexical.get("current")))


class Server:
    """``newsdesk serve`` over the filled folder, on a free loopback port, stopped by its PID."""

    def __init__(self, data_dir: Path, model_cache: Path, log_path: Path, timeout: float):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = bench_env(data_dir) | {"NEWSDESK_API_KEYS": API_KEY, "NEWSDESK_MODEL_CACHE": str(model_cache)}
        started = time.monotonic()
        try:
            self.launched: Launched = launch(
                [str(NEWSDESK), "serve", "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"],
                ready=answers(f"{self.url}/healthz", accept=serving_and_indexed),
                timeout=timeout,
                log_path=log_path,
                env=env,
                cwd=log_path.parent,
                name="newsdesk serve",
            )
        except LaunchError as error:
            raise SystemExit(str(error)) from None
        self.startup_s = round(time.monotonic() - started, 1)
        self.ps = psutil.Process(self.launched.pid)
        self.http = httpx.Client(base_url=self.url, timeout=600, trust_env=False)

    def rss_mb(self) -> float:
        return round(self.ps.memory_info().rss / 2**20, 1)

    def cpu_s(self) -> float:
        times = self.ps.cpu_times()
        return times.user + times.system

    def search(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.http.get("/v1/search", params=params)
        response.raise_for_status()
        return list(response.json()["results"])

    def ask(self, question: str, as_of: str) -> dict[str, Any]:
        response = self.http.post("/v1/ask", json={"question": question, "as_of": as_of})
        response.raise_for_status()
        return dict(response.json())

    def stop(self) -> None:
        self.http.close()
        self.launched.stop(timeout=120)


def timed_requests(servers: Sequence[Server], questions: Sequence[dict[str, str]]) -> list[dict[str, list[float]]]:
    """Each question asked and searched once on every server, one request at a time; wall ms of each.

    With several servers the same request goes to each in turn, the order rotating by question, so a burst of
    load from elsewhere on the machine falls on all of them alike.
    """
    for q in questions[:WARMUP_QUESTIONS]:
        for server in servers:
            server.ask(q["question"], q["as_of"])
    times: list[dict[str, list[float]]] = [{"ask": [], "search": []} for _ in servers]
    for i, q in enumerate(questions[WARMUP_QUESTIONS:]):
        order = [(i + k) % len(servers) for k in range(len(servers))]
        for n in order:
            started = time.perf_counter()
            servers[n].ask(q["question"], q["as_of"])
            times[n]["ask"].append((time.perf_counter() - started) * 1000)
        for n in order:
            started = time.perf_counter()
            servers[n].search({"q": q["question"], "as_of": q["as_of"], "k": SEARCH_K})
            times[n]["search"].append((time.perf_counter() - started) * 1000)
    return times


def made_up_word(rng: random.Random) -> str:
    """A word no news article holds: letters only, so every tokenizer keeps it whole."""
    return "zq" + "".join(rng.choice("bcdfghjklmnpqrstvwxz") + rng.choice("aeiou") for _ in range(6))


@dataclass
class Probe:
    """The freshness probe: its article, its made-up word and the words and window that find it."""

    word: str
    absent_word: str
    day: date
    article: dict[str, Any] = field(default_factory=dict)


def make_probe(pool: Pool, seed: int) -> Probe:
    """A new article of real pool text with a made-up word inside, dated on a day no other article has."""
    rng = random.Random(seed)
    word, absent = made_up_word(rng), made_up_word(rng)
    # Days before 2019: the filled articles are dated 2025-09 .. 2026-04, the pool's own from 2025 on.
    day = date(2000, 1, 1) + timedelta(days=rng.randrange(365 * 19))
    texts = [pool.texts[rng.randrange(len(pool.texts))] for _ in range(3)]
    first, second = halves(texts[0])
    texts[0] = f"{first} The {word} matter came up again. {second}".strip()
    probe = Probe(word=word, absent_word=absent, day=day)
    probe.article = {
        "title": pool.titles[rng.randrange(len(pool.titles))],
        "text": "\n\n".join(texts),
        "source": "Scale Probe Gazette",
        "authors": ["Bench Scale"],
        "published_at": day.isoformat(),
        "url": f"https://scale.bench.invalid/probe/{word}",
    }
    return probe


def freshness(server: Server, probe: Probe, poll_s: float, timeout: float) -> dict[str, Any]:
    """POST the probe article, then poll dense and lexical search until both find it (or ``timeout``)."""
    cpu_before = server.cpu_s()
    response = server.http.post("/v1/articles", json=probe.article, headers={"X-API-Key": API_KEY})
    if response.status_code != 201 or response.json().get("status") != "created":
        raise SystemExit(f"POST /v1/articles answered {response.status_code}: {response.text[:500]}")
    written = time.monotonic()
    ident = response.json()["id"]
    dense_q = {"q": probe.absent_word, "since": probe.day.isoformat(), "until": probe.day.isoformat(), "k": SEARCH_K}
    lexical_q = {"q": probe.word, "k": 50}
    found: dict[str, float | None] = {"dense": None, "lexical": None}
    polls = 0
    while time.monotonic() - written < timeout and None in found.values():
        tick = time.monotonic()
        for name, params in (("dense", dense_q), ("lexical", lexical_q)):
            if found[name] is None:
                polls += 1
                if any(hit["article"]["id"] == ident for hit in server.search(params)):
                    found[name] = round(time.monotonic() - written, 2)
        # Polls back off to 5 % of the time waited so far: each is a search competing for the same two cores
        # as the index update it waits for, and 5 % is resolution enough for a delay of minutes.
        pause = max(poll_s, POLL_BACKOFF * (time.monotonic() - written))
        time.sleep(max(0.0, pause - (time.monotonic() - tick)))
    lexical_s = found["lexical"]
    return {
        "probe_id": ident,
        "probe_word": probe.word,
        "fresh_dense_s": found["dense"],
        "fresh_lexical_s": lexical_s,
        "fresh_s": max(found["dense"], lexical_s) if found["dense"] is not None and lexical_s is not None else None,
        "lexical_update_s": lexical_s,
        "write_cpu_s": round(server.cpu_s() - cpu_before, 1),
        "polls": polls,
        "fresh_timeout_s": timeout if None in found.values() else None,
    }


def dense_reaches(data_dir: Path, model_cache: Path, word: str, probe_id: str) -> bool:
    """Whether dense search alone ranks the probe article among the candidates for its made-up word."""
    settings = IngestSettings(data_dir=data_dir, model_cache=model_cache)
    embedder = load_embedder(settings)
    hits = data_store(data_dir).query_chunks(embedder.encode([word])[0], DENSE_CANDIDATES)
    return any(hit.article.id == probe_id for hit in hits)


def disk_mb(path: Path) -> float:
    """What ``du`` says the folder takes, in MB."""
    out = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=True).stdout
    return round(int(out.split()[0]) / 1024, 1)


# ----- one size, all sizes --------------------------------------------------------------------------


def measure(data_dir: Path, target: int, pool: Pool, args: argparse.Namespace) -> dict[str, Any]:
    """Fill to ``target`` chunks, then serve and measure; one entry of ``runs``."""
    say(f"filling {data_dir} to {target:,} chunks ...")
    step = fill(data_dir, target, pool, args.batch_articles)
    say(f"  {step.chunks:,} chunks in {step.articles:,} articles ({step.chunks_per_s} chunks/s over this step)")
    load = psutil.getloadavg()[0]
    say("starting newsdesk serve ...")
    server = Server(data_dir, args.model_cache, args.work / f"serve-{target}.log", args.start_timeout)
    baseline: Server | None = None
    try:
        if args.baseline_dir is not None:
            say("starting the baseline's newsdesk serve ...")
            baseline = Server(args.baseline_dir, args.model_cache, args.work / "serve-baseline.log", args.start_timeout)
        say(f"  ready after {server.startup_s} s; {len(args.questions) - WARMUP_QUESTIONS} asks and searches ...")
        all_times = timed_requests([server] if baseline is None else [server, baseline], args.questions)
        times = all_times[0]
        if baseline is not None:
            baseline.stop()
            baseline = None
        rss = server.rss_mb()
        say("freshness probe ...")
        probe = make_probe(pool, seed=target + int(time.time()))
        fresh = freshness(server, probe, args.poll_s, args.fresh_timeout)
        rss_after = server.rss_mb()
    finally:
        if baseline is not None:
            baseline.stop()
        server.stop()
    clear = not dense_reaches(data_dir, args.model_cache, probe.word, fresh["probe_id"])
    return {
        "chunks": step.chunks,
        "fresh_s": fresh["fresh_s"],
        "ask_p50_ms": round(percentile(times["ask"], 50), 1),
        "ask_p95_ms": round(percentile(times["ask"], 95), 1),
        "search_p50_ms": round(percentile(times["search"], 50), 1),
        "search_p95_ms": round(percentile(times["search"], 95), 1),
        "rss_mb": rss,
        "lexical_update_s": fresh["lexical_update_s"],
        "disk_mb": disk_mb(data_dir),
        "chunks_per_s": step.chunks_per_s,
        "articles": step.articles,
        "fill_s": round(step.seconds, 1),
        "startup_s": server.startup_s,
        "rss_after_write_mb": rss_after,
        "questions": len(times["ask"]),
        "loadavg_1m": round(load, 2),
        "lexical_probe_dense_clear": clear,
        **{k: v for k, v in fresh.items() if k not in ("fresh_s", "lexical_update_s")},
        **(same_window_baseline(times, all_times[1]) if len(all_times) > 1 else {}),
    }


def same_window_baseline(times: dict[str, list[float]], base: dict[str, list[float]]) -> dict[str, float]:
    """The baseline server's p50s, timed beside this size's, and this size's p50s as ratios of them."""
    figures: dict[str, float] = {}
    for op in ("ask", "search"):
        mine, theirs = percentile(times[op], 50), percentile(base[op], 50)
        figures[f"baseline_{op}_p50_ms"] = round(theirs, 1)
        figures[f"{op}_p50_vs_baseline"] = round(mine / theirs, 2)
    return figures


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Every requested size, smallest first, in one data folder."""
    args.work.mkdir(parents=True, exist_ok=True)
    data_dir: Path = args.data_dir or args.work / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    pool = load_pool(args)
    say(f"pool: {len(pool.texts):,} chunks of {len(pool.titles):,} articles")
    questions = dev_questions()
    args.questions = questions[: args.n_questions + WARMUP_QUESTIONS]
    args.baseline_dir = None
    if args.baseline_chunks:
        args.baseline_dir = args.work / f"baseline-{args.baseline_chunks}"
        args.baseline_dir.mkdir(parents=True, exist_ok=True)
        say(f"filling the baseline {args.baseline_dir} to {args.baseline_chunks:,} chunks ...")
        fill(args.baseline_dir, args.baseline_chunks, pool, args.batch_articles)
    report: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "data_dir": str(data_dir),
        "baseline_chunks": args.baseline_chunks,
        "pool_chunks": len(pool.texts),
        "cpus": psutil.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "runs": [],
    }
    for target in sorted(args.chunks or DEFAULT_SIZES):
        entry = measure(data_dir, target, pool, args)
        first = report["runs"][0] if report["runs"] else entry
        # The machine is shared: ratios to the smallest size of the same run say more than milliseconds.
        entry["ask_p50_vs_first"] = round(entry["ask_p50_ms"] / first["ask_p50_ms"], 2)
        entry["search_p50_vs_first"] = round(entry["search_p50_ms"] / first["search_p50_ms"], 2)
        report["runs"].append(entry)
        (args.work / "last.json").write_text(json.dumps(report, indent=2))  # sizes done survive a later failure
        say(json.dumps(entry))
    return report


def print_table(report: dict[str, Any], console: Console) -> None:
    """The human table: one row per size."""
    table = Table(title=f"newsdesk at scale ({report['cpus']} CPUs, {report['memory_gb']} GB)")
    columns = [
        ("chunks", "chunks", "{:,}"),
        ("fresh s", "fresh_s", "{}"),
        ("lexical s", "lexical_update_s", "{}"),
        ("dense s", "fresh_dense_s", "{}"),
        ("ask p50 / p95 ms", None, ""),
        ("ask p50 x", "ask_p50_vs_first", "{}"),
        ("ask p50 x base", "ask_p50_vs_baseline", "{}"),
        ("search p50 / p95 ms", None, ""),
        ("RSS MB", "rss_mb", "{:,.0f}"),
        ("disk MB", "disk_mb", "{:,.0f}"),
        ("fill chunks/s", "chunks_per_s", "{}"),
        ("start s", "startup_s", "{}"),
        ("load", "loadavg_1m", "{}"),
    ]
    for title, _, _ in columns:
        table.add_column(title, justify="right")
    for entry in report["runs"]:
        cells = []
        for title, key, form in columns:
            if key is None:  # a p50 / p95 pair
                op = title.split()[0]
                cells.append(f"{entry[f'{op}_p50_ms']:,.0f} / {entry[f'{op}_p95_ms']:,.0f}")
            else:
                value = entry.get(key or "")
                cells.append("—" if value is None else form.format(value))
        table.add_row(*cells)
    console.print(table)
    for entry in report["runs"]:
        if entry["fresh_timeout_s"] is not None:
            console.print(f"{entry['chunks']:,} chunks: not found by both within {entry['fresh_timeout_s']} s")
        if not entry["lexical_probe_dense_clear"]:
            console.print(f"{entry['chunks']:,} chunks: dense search also reaches the lexical probe; its time is moot")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--chunks", type=int, action="append", help="measure at this size (repeatable; default 10k, 100k, 1M)"
    )
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="the folder to fill and serve (default bench/results/scale/data)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as one JSON document on stdout")
    parser.add_argument("--questions", dest="n_questions", type=int, default=60, help="timed asks and searches")
    parser.add_argument(
        "--baseline-chunks",
        type=int,
        default=0,
        help="also serve a folder of this size (WORK/baseline-N) beside every size, its requests interleaved, "
        "and report p50s as ratios of its (the machine's load falls on both alike)",
    )
    parser.add_argument("--batch-articles", type=int, default=100, help="articles per ArchiveStore.save")
    parser.add_argument("--poll-s", type=float, default=0.5, help="seconds between freshness polls")
    parser.add_argument("--fresh-timeout", type=float, default=3600, help="give up on the probe after this long")
    parser.add_argument("--start-timeout", type=float, default=7200, help="seconds for the server to become ready")
    parser.add_argument("--work", type=Path, default=WORK, help="pool cache, server logs, reports")
    parser.add_argument("--model-cache", type=Path, default=None, help="derived model files (default: WORK/models)")
    parser.add_argument("--pool-store", type=Path, default=DEFAULT_POOL_STORE, help="archive to read the pool from")
    parser.add_argument("--pool-prefix", default=DEFAULT_POOL_PREFIX, help="its collection prefix")
    parser.add_argument(
        "--pool-articles", type=int, default=0, help="embed this many dataset articles as the pool instead"
    )
    args = parser.parse_args(argv)
    args.model_cache = args.model_cache or args.work / "models"
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    report = run(args)
    text = json.dumps(report, indent=2)
    (args.work / "last.json").write_text(text)
    if args.json:
        print(text)
    else:
        print_table(report, Console(width=max(Console().width, 150)))
        print(f"report: {args.work / 'last.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
