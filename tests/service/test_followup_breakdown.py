"""``bench/followup_breakdown.py``: every declined follow-up turn is counted under the rule that declined it."""

from __future__ import annotations

from typing import Any

from bench.followup_breakdown import declines


def _turn(n: int, answerable: bool, answered: bool, notes: list[str], retrieved: bool | None = None) -> dict[str, Any]:
    return {
        "n": n,
        "kind": "pronoun",
        "answerable": answerable,
        "answered": answered,
        "answer_retrieved": retrieved,
        "notes": notes,
    }


def test_declined_follow_ups_are_counted_by_rule_with_losses_apart_from_right_declines() -> None:
    weak = "no evidence sentence is close enough to the question (best 0.28, under 0.35)"
    fell_back = "LLM unavailable (timed out after 30 s); extractive answer given"
    rows = [
        _turn(1, True, False, [weak], retrieved=True),  # a first turn: not a follow-up
        _turn(2, True, False, [weak], retrieved=True),
        _turn(3, True, False, ["no evidence sentence is close enough to the question (best 0.31, under 0.35)"], False),
        _turn(4, False, False, [weak]),
        _turn(5, False, False, ["the answer's sentences speak only of 2019, not the time asked about"]),
        _turn(6, True, False, [fell_back, "no article found mentions 'Kipnuk'"], retrieved=True),
        _turn(7, False, True, ["a note of an answered turn"]),
        _turn(8, True, False, [], retrieved=False),
    ]
    assert declines(rows) == {
        "no evidence sentence is close enough to the question": {
            "answer in passages": 1,
            "answer not in passages": 1,
            "unanswerable": 1,
        },
        "the answer's sentences speak only of": {
            "answer in passages": 0,
            "answer not in passages": 0,
            "unanswerable": 1,
        },
        "no article found mentions": {"answer in passages": 1, "answer not in passages": 0, "unanswerable": 0},
        "(no note)": {"answer in passages": 0, "answer not in passages": 1, "unanswerable": 0},
    }
