"""The answer rules' word lists: plain text files that say what they are for, shipped with the package."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from service.answer.wordlists import entries, word_set

PROJECT = Path(__file__).resolve().parents[2]
LISTS = sorted(p for p in resources.files("service.answer.wordlists").iterdir() if p.name.endswith(".txt"))


def test_every_word_list_opens_with_a_comment_saying_what_it_is_for() -> None:
    assert LISTS
    for path in LISTS:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and len(first) > 20, path.name


def test_a_word_list_holds_its_entries_without_comments_or_blank_lines() -> None:
    hedges = entries("hedges")
    assert hedges[:2] == ("an estimated", "estimated")
    assert not any(e.startswith("#") or not e.strip() for name in (p.name[:-4] for p in LISTS) for e in entries(name))


def test_no_word_list_names_an_entry_twice() -> None:
    for path in LISTS:
        name = path.name[:-4]
        assert len(entries(name)) == len(word_set(name)), name


def test_the_small_word_lists_build_on_one_another_instead_of_repeating_words() -> None:
    small = word_set("function_words")
    assert not small & word_set("question_fillers")
    assert not small & word_set("slot_fillers")
    assert not word_set("question_fillers") & word_set("auxiliary_verbs")


def test_a_word_list_is_read_once() -> None:
    assert word_set("countries") is word_set("countries")


def test_an_installed_package_carries_the_word_lists_and_the_outlet_names() -> None:
    config = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = config["tool"]["setuptools"]["package-data"]
    assert "*.txt" in package_data["service.answer.wordlists"]
    assert "*.txt" in package_data["ingest.normalise"]
