"""The unanswerable question set's checker: absence, presence and later reports, on a tiny archive."""

from __future__ import annotations

from bench.followups.check_answers import Article
from bench.unanswerable.check_questions import check

ARCHIVE = {
    "a": Article("a", "2025-09-01", "the titans fired head coach brian callahan on tuesday."),
    "b": Article("b", "2025-09-20", "the nets fired their coach on friday."),
}
QUIZ = {"20250905_0": "2025-09-04", "20260107_0": "2026-01-08"}


def row(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": "un-dev-001",
        "split": "dev",
        "as_of": "2025-09-10",
        "kind": "look_alike",
        "question": "Which NBA team fired its coach?",
        "like": "20250905_0",
        "absent": [r"nets fired"],
        "present": r"fired head coach",
    }
    return {**base, **fields}


def test_a_question_whose_answer_is_published_only_later_passes() -> None:
    errors, stats = check([row()], ARCHIVE, QUIZ)
    assert errors == [] and stats == {"dev/look_alike": 1}


def test_an_answer_in_a_visible_article_is_reported() -> None:
    errors, _ = check([row(as_of="2025-09-25")], ARCHIVE, QUIZ)
    assert errors == ["un-dev-001: absent pattern 'nets fired' found in b (2025-09-20)"]


def test_a_story_missing_from_the_archive_or_a_later_report_that_never_came_is_reported() -> None:
    errors, _ = check(
        [row(present="lakers"), row(id="un-dev-002", kind="later", like=None, later="bulls")], ARCHIVE, QUIZ
    )
    assert errors == [
        "un-dev-001: present pattern 'lakers' in no article published on or before 2025-09-10",
        "un-dev-002: later pattern 'bulls' in no article published after 2025-09-10",
    ]


def test_the_split_follows_the_date_and_a_look_alike_resembles_a_question_of_its_own_split() -> None:
    errors, _ = check([row(split="test", like="20260107_0")], ARCHIVE, QUIZ)
    assert errors == [
        "un-dev-001: split 'test' but as_of 2025-09-10 makes it dev",
        "un-dev-001: like '20260107_0' is of the other split",
    ]
