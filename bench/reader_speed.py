"""Seconds per question of the LLM reader on this machine (issue 13: p50 ≤ 20 s on 2 cores).

Asks ``--questions`` development questions of RealTime QA (evenly spaced through the split, as of
their quiz dates) over the evaluation archive, in this process, one after another, with the reader
the settings configure (``NEWSDESK_LLM=local``: the model of ``make local-llm``). One warm-up
question comes first: loading the model and its first reading of the system prompts are paid once
by a running server, not by each question (the model keeps the state of each recent prompt, so the
reader's and the check's system prompts are each read once).

For each question it reports the seconds of the whole ``ask`` (retrieval, reader, citation check),
the evidence tokens shown to the reader (approximate: four characters a token), and whether the
model's answer was used, declined, or fell back to the extractive one (timeout, invalid JSON).

The machine is shared and its speed varies, so the same run measures it: before and after the
questions, the model reads a fixed text of about 400 tokens and writes 32 (prompt and generated
tokens per second), and the load average is printed. A p50 from a busy run can be read against them.

    NEWSDESK_DATA_DIR=<eval archive> NEWSDESK_LLM=local .venv/bin/python bench/reader_speed.py --questions 12
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from dataset_paths import realtimeqa_parser

from service.answer.ask import AskRequest
from service.answer.backends.llamacpp import LlamaCppChatModel
from service.answer.llm import LLMAnswerer
from service.answer.reader_context import approx_tokens
from service.evaluation.archive import eval_settings
from service.evaluation.realtimeqa import Question, load_questions
from service.runtime import Runtime
from service.settings import ServiceSettings

TARGET_P50_S = 20.0
CALIBRATION_TEXT = " ".join(
    [
        "Rescue teams searched collapsed homes in the eastern province on Tuesday, officials said,",
        "as aid agencies warned that roads blocked by landslides were slowing the delivery of tents and food.",
    ]
    * 9
)


def spread(questions: list[Question], n: int) -> list[Question]:
    """``n`` questions evenly spaced through ``questions`` (all of them when there are fewer)."""
    if n >= len(questions):
        return questions
    step = len(questions) / n
    return [questions[int(i * step)] for i in range(n)]


def calibrate(model: LlamaCppChatModel) -> dict[str, float]:
    """The model's prompt and generated tokens per second on a fixed text, measured now."""
    llama = model._client()
    tokens = llama.tokenize(CALIBRATION_TEXT.encode("utf-8"))
    llama.reset()
    started = time.perf_counter()
    llama.eval(tokens)
    prompt_s = time.perf_counter() - started
    started = time.perf_counter()
    made = 0
    for _token in llama.generate(tokens, temp=0.0, reset=False):
        made += 1
        if made >= 32:
            break
    generate_s = time.perf_counter() - started
    llama.reset()  # the next ask reads its prompt from the start
    return {
        "prompt_tokens_per_s": round(len(tokens) / prompt_s, 1),
        "generated_tokens_per_s": round(made / generate_s, 1),
    }


def outcome(answer: Any) -> str:
    """What the reader's turn came to: used, declined, or fell back."""
    if not answer.answerer.startswith("llm:"):
        return "fell back"
    return "used" if answer.answered else "declined"


def main() -> None:
    parser = realtimeqa_parser(__doc__)
    parser.add_argument("--questions", type=int, default=12)
    parser.add_argument("--json", type=Path, help="Write the figures here too.")
    args = parser.parse_args()

    runtime = Runtime(eval_settings(ServiceSettings(), "realtimeqa"))
    runtime.warm_up()
    answerer, model = runtime.answerer, runtime.chat_model
    if not isinstance(answerer, LLMAnswerer) or not isinstance(model, LlamaCppChatModel):
        raise SystemExit("reader_speed measures an in-process reader: run it with NEWSDESK_LLM=local (or llamacpp)")
    questions = spread(load_questions(args.dataset, "dev"), args.questions + 1)
    warm, timed = questions[0], questions[1:]
    runtime.asker.ask(AskRequest(question=warm.text, as_of=warm.date))
    before = calibrate(model)
    rows: list[dict[str, Any]] = []
    seconds_each: list[float] = []
    for q in timed:
        request = AskRequest(question=q.text, as_of=q.date)
        started = time.perf_counter()
        retrieved = runtime.asker.retrieval_step(request)
        answer = runtime.asker.answer_step(retrieved)
        seconds = time.perf_counter() - started
        seconds_each.append(seconds)
        shown = answerer.evidence(retrieved.result.passages)
        rows.append(
            {
                "question": q.text,
                "seconds": round(seconds, 1),
                "evidence_tokens": sum(approx_tokens(item.text) for item in shown),
                "outcome": outcome(answer),
            }
        )
        print(f"{seconds:6.1f} s  {rows[-1]['evidence_tokens']:4d} tok  {rows[-1]['outcome']:<9}  {q.text}", flush=True)
    after = calibrate(model)
    report = {
        "model": answerer.model,
        "budget_tokens": answerer.budget_tokens,
        "questions": len(rows),
        "p50_s": round(statistics.median(seconds_each), 1),
        "max_s": round(max(seconds_each), 1),
        "target_p50_s": TARGET_P50_S,
        "outcomes": {name: sum(row["outcome"] == name for row in rows) for name in ("used", "declined", "fell back")},
        "calibration_before": before,
        "calibration_after": after,
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "rows": rows,
    }
    print(json.dumps({key: value for key, value in report.items() if key != "rows"}, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
