"""One singular helper: plurals read as their singular, and unknown words left alone."""

from __future__ import annotations

from service.answer.plurals import PLAIN_S, is_plural_of, singular

HEADS = frozenset({"country", "business", "church", "volcano", "state", "species"})


def test_a_plural_is_read_as_its_singular() -> None:
    assert singular("countries") == "country"
    assert singular("churches") == "church"
    assert singular("storms") == "storm"
    assert singular("mosquitoes") == "mosquito"


def test_a_word_ending_in_double_s_is_no_plural() -> None:
    assert singular("boss") == "boss"
    assert singular("congress") == "congress"


def test_a_known_word_list_decides_between_possible_singulars() -> None:
    assert singular("businesses", HEADS) == "business"
    assert singular("volcanoes", HEADS) == "volcano"
    assert singular("species", HEADS) == "species"  # a known word stays as it is
    assert singular("eclipses") == "eclipse"  # without a list, the plain "-s" rule comes first


def test_an_unknown_word_is_left_alone_when_a_list_is_given() -> None:
    assert singular("widgets", HEADS) == "widgets"


def test_a_plural_is_recognised_as_the_plural_of_its_noun() -> None:
    assert is_plural_of("countries", "country")
    assert is_plural_of("states", "state")
    assert not is_plural_of("state", "state")
    assert not is_plural_of("statements", "state")


def test_the_plain_s_rule_undoes_only_the_plain_ending() -> None:
    assert singular("lakers", endings=PLAIN_S) == "laker"
    assert singular("dictionaries", endings=PLAIN_S) == "dictionarie"
    assert singular("boss", endings=PLAIN_S) == "boss"
    assert singular("bus", endings=PLAIN_S) == "bus"
