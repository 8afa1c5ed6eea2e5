"""The sample archive `make demo` builds answers the questions a new user first asks of it.

Each question was asked by hand over the samples and once answered wrong (a place for "who is the
mayor?", a weekday for "how long?"); the archive is built from ``samples/`` for real, with the
extractive default, as the demo runs it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.embedding import Embedder
from ingest.lexical import attach_lexical_index
from ingest.pipeline import Ingestor
from ingest.readers import read_sources
from ingest.settings import IngestSettings
from ingest.store import open_store
from service.answer.ask import Asker, AskRequest
from service.answer.extractive import ExtractiveAnswerer
from service.retrieval.hybrid import HybridRetriever
from service.retrieval.lexical import LexicalSearch

pytestmark = pytest.mark.slow

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.fixture(scope="module")
def asker(tmp_path_factory: pytest.TempPathFactory, model_cache: Path, embedder: Embedder) -> Asker:
    settings = IngestSettings(data_dir=tmp_path_factory.mktemp("samples"), model_cache=model_cache)
    store = open_store(settings, embedder.name, embedder.dimension)
    follower = attach_lexical_index(settings, store)
    summary = Ingestor(settings, store, embedder).ingest(list(read_sources([str(SAMPLES)], settings)))
    assert summary.failed == 0, summary.failures
    follower.catch_up()
    return Asker(HybridRetriever(store, embedder, LexicalSearch(follower)), ExtractiveAnswerer(), embedder)


@pytest.mark.parametrize(
    ("question", "short_answer"),
    [
        ("How much will the Port Alden tram line cost?", "410 million euros"),
        ("what will the tram cost?", "410 million euros"),
        ("who is the mayor?", "Ana Ruiz"),
        ("who is the chief librarian?", "Elena Marsh"),
        ("how long will the bridge be closed?", "three weeks"),
        ("when will the library open?", "September"),
        ("how many homes get heat pumps?", "1,200"),
        ("when do the strike talks resume?", "Monday (11 March 2024)"),
    ],
)
def test_a_first_question_about_the_samples_is_answered_right(asker: Asker, question: str, short_answer: str) -> None:
    answer = asker.ask(AskRequest(question=question))
    assert answer.answered and answer.short_answer == short_answer, (answer.short_answer, answer.notes)
    assert answer.citations and all(c.quote in answer.answer for c in answer.citations)


def test_a_yes_or_no_question_about_the_samples_gets_its_sentence_and_no_name(asker: Asker) -> None:
    answer = asker.ask(AskRequest(question="can cyclists still cross?"))
    assert answer.answered and answer.short_answer is None
    assert "Cyclists and pedestrians can still cross on the northern walkway." in answer.answer
