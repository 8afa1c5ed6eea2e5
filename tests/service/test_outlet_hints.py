"""An outlet named in a question or a filter means the stored outlet, under any of the ways people write its name."""

from __future__ import annotations

from ingest.normalise.outlets import outlet_names, spellings_of
from service.retrieval.outlet_hints import read_outlet_filter, read_outlet_hint

STORED = ["AP", "Reuters", "The New York Times", "Bay Post"]


def test_a_stored_outlet_named_after_a_cue_narrows_the_outlets() -> None:
    assert read_outlet_hint("According to Reuters, who won?", STORED) == ["Reuters"]
    assert read_outlet_hint("Who won, as reported by the Bay Post?", STORED) == ["Bay Post"]


def test_a_well_known_outlet_is_found_under_its_other_spellings() -> None:
    assert read_outlet_hint("According to the Associated Press, who won?", STORED) == ["AP"]
    assert spellings_of("AP") >= {"ap", "associated press", "the associated press"}
    assert spellings_of("Bay Post") == {"bay post"}


def test_a_name_inside_a_longer_one_is_not_read_twice() -> None:
    assert read_outlet_hint("What did the New York Times report?", [*STORED, "Times"]) == []
    assert read_outlet_hint("Who won, according to the New York Times?", [*STORED, "Times"]) == ["The New York Times"]


def test_a_place_is_no_outlet_unless_the_archive_holds_one_by_that_name() -> None:
    assert read_outlet_hint("Who sent help from Russia?", STORED) == []


def test_newsdesk_knows_outlet_names_in_one_place() -> None:
    names = outlet_names()
    assert {"associated press", "usa today", "cnbc", "financial times"} <= names


def test_a_filter_means_the_stored_outlet_whatever_its_case_or_spelling() -> None:
    read = read_outlet_filter(["bay post", "Associated Press", "REUTERS"], STORED)
    assert read.stored == ["Bay Post", "AP", "Reuters"] and read.unknown == {}


def test_a_filter_naming_no_stored_outlet_is_reported_with_the_closest_names_and_still_filters() -> None:
    read = read_outlet_filter(["Bay Psot", "Le Monde", "Bay Post"], STORED)
    assert read.stored == ["Bay Post"]
    assert read.unknown == {"Bay Psot": ["Bay Post"], "Le Monde": []}
    assert read.names == ["Bay Post", "Bay Psot", "Le Monde"]  # never widened to every outlet
