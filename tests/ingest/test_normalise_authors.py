"""Bylines become clean author lists."""

from __future__ import annotations

import pytest

from ingest.normalise.authors import parse_authors


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("By Anish Kumar and Jane Doe", ["Anish Kumar", "Jane Doe"]),
        ("Ann Lee, Bo Chen & Cy Diaz", ["Ann Lee", "Bo Chen", "Cy Diaz"]),
        ("Ann Lee, Bo Chen, and Cy Diaz", ["Ann Lee", "Bo Chen", "Cy Diaz"]),
        ("Jane Doe | CNN", ["Jane Doe"]),
        ("Jane Doe, Reuters", ["Jane Doe"]),
        ("By Jane Doe, Senior Reporter", ["Jane Doe"]),
        ("jane@example.com (Jane Doe)", ["Jane Doe"]),
        ("Jane Doe <jane@example.com>", ["Jane Doe"]),
        ("BY JANE DOE", ["Jane Doe"]),
        ("Jane Doe in Kyiv", ["Jane Doe"]),
        ("By Jane Doe; additional reporting by John Roe", ["Jane Doe", "John Roe"]),
        ("Jean-Luc O'Neill and Mary Smith-Jones", ["Jean-Luc O'Neill", "Mary Smith-Jones"]),
    ],
)
def test_a_byline_string_gives_the_names_in_order(byline: str, expected: list[str]) -> None:
    assert parse_authors(byline) == expected


def test_names_are_deduplicated_keeping_the_first_spelling() -> None:
    assert parse_authors(["Jane Doe", "JANE DOE", "jane doe", "John Roe"]) == ["Jane Doe", "John Roe"]


def test_scraped_run_together_names_are_dropped() -> None:
    scraped = ["Allison Chinchar Jennifer Gray", "Allison Chinchar", "Jennifer Gray"]
    assert parse_authors(scraped) == ["Allison Chinchar", "Jennifer Gray"]


def test_outlets_roles_emails_and_page_junk_are_not_authors() -> None:
    assert parse_authors(["The Week Staff", "Social Links Navigation"]) == ["The Week Staff"]
    assert parse_authors("Reuters") == []
    assert parse_authors("Staff Writer") == []
    assert parse_authors("noreply@example.com") == []


def test_name_objects_are_read_like_json_ld_authors() -> None:
    assert parse_authors([{"@type": "Person", "name": "Jane Doe"}, {"name": "John Roe"}]) == ["Jane Doe", "John Roe"]


def test_no_byline_gives_an_empty_list() -> None:
    assert parse_authors(None) == []
    assert parse_authors("") == []
    assert parse_authors([]) == []
