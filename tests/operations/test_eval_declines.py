"""``newsdesk eval realtimeqa --unanswerable``: one run reports the quiz's accuracy and the decline rate.

The real ``newsdesk`` runs in a subprocess over a fresh embedded archive built from a two-article
dataset written in the RealTime QA layout.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from newsdesk_processes import live_server

pytestmark = pytest.mark.slow

QUAKE = {
    "url": "https://news.example/2025/09/02/afghanistan-earthquake",
    "title": "Earthquake kills hundreds in eastern Afghanistan",
    "text": "A magnitude 6.0 earthquake struck eastern Afghanistan late on Sunday, killing more than 800 people. "
    "Rescue teams searched collapsed mud-brick homes in Kunar province on Tuesday, officials said.",
    "authors": ["A. Reporter"],
    "publish_date": "2025/09/02",
}
# Published after the unanswerable question's as-of date: invisible when it is asked.
PARADE = {
    "url": "https://news.example/2025/09/20/parade",
    "title": "Harbor town holds its first lantern parade",
    "text": "The harbor town of Westport held its first lantern parade on Saturday. "
    "Mayor Jane Holloway led the parade, which drew 4,000 people to the waterfront.",
    "authors": ["B. Writer"],
    "publish_date": "2025/09/20",
}


def write_dataset(root: Path) -> Path:
    """A RealTime QA folder (one week, one quiz question) and a one-question unanswerable set."""
    week = root / "realtimeqa" / "past" / "2025"
    week.mkdir(parents=True)
    (week / "20250905_gcs.jsonl").write_text(
        json.dumps({"question_id": "20250905_0", "search_result": [QUAKE, PARADE]}) + "\n", encoding="utf-8"
    )
    quiz = {
        "question_id": "20250905_0",
        "question_date": "2025-09-04",
        "question_sentence": "Which country recently experienced a devastating 6.0-magnitude earthquake?",
        "choices": ["Pakistan", "Afghanistan", "India", "Japan"],
        "answer": ["1"],
    }
    (week / "20250905_qa.jsonl").write_text(json.dumps(quiz) + "\n", encoding="utf-8")
    unanswerable = {
        "id": "un-dev-001",
        "split": "dev",
        "as_of": "2025-09-10",
        "kind": "later",
        "question": "Who led the lantern parade in Westport?",
        "absent": ["lantern parade"],
    }
    path = root / "unanswerable.jsonl"
    path.write_text(json.dumps(unanswerable) + "\n", encoding="utf-8")
    return path


def test_one_eval_run_reports_quiz_accuracy_and_declines_a_question_answered_only_later(
    tmp_path: Path, model_cache: Path
) -> None:
    unanswerable = write_dataset(tmp_path)
    env = live_server.clean_env(NEWSDESK_DATA_DIR=str(tmp_path / "data"), NEWSDESK_MODEL_CACHE=str(model_cache))
    command = [
        str(live_server.NEWSDESK),
        "eval",
        "realtimeqa",
        str(tmp_path / "realtimeqa"),
        "--split",
        "dev",
        "--unanswerable",
        str(unanswerable),
        "--out",
        str(tmp_path / "out"),
        "--json",
    ]
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["questions"] == 1 and report["accuracy"] == 1.0
    assert report["unanswerable"]["questions"] == 1
    assert report["unanswerable"]["declined"] == 1.0
    assert report["unanswerable"]["by_kind"] == {"later": {"questions": 1, "declined": 1.0}}
    document = json.loads(Path(report["report"]).read_text(encoding="utf-8"))
    rows = document["unanswerable_results"]
    assert [(r["id"], r["declined"], r["short_answer"]) for r in rows] == [("un-dev-001", True, None)]
    assert rows[0]["answerer"] == "extractive" and isinstance(rows[0]["notes"], list)
    # Each quiz row says whose answer it scored, so a reader's fallbacks can be told apart.
    assert [(r["id"], r["correct"], r["answerer"]) for r in document["results"]] == [("20250905_0", True, "extractive")]
