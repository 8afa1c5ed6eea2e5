"""How a name is keyed and shown: variants of one name share a key; a mention is shown without its wrapping."""

from __future__ import annotations

from service.answer.names import acronym, looks_like_acronym, normalise, surface


def test_variants_of_one_name_share_one_key() -> None:
    assert normalise("The U.S.") == normalise("US") == "us"
    assert normalise("Collective Security Treaty Organization (CSTO)") == "collective security treaty organization"
    assert normalise("Tokayev's") == normalise("Tokayev") == "tokayev"


def test_a_hedged_figure_is_the_same_answer_as_the_plain_one() -> None:
    assert normalise("more than 8,000") == normalise("about 8,000") == normalise("8,000") == "8000"
    assert normalise("an estimated 2.5 million") == "2.5 million"


def test_a_long_names_initials_skip_its_small_words() -> None:
    assert acronym("Collective Security Treaty Organization") == "csto"
    assert acronym("Bank of America") == "ba"
    assert acronym("carlos alcaraz") == ""  # not a capitalised name
    assert acronym("Alcaraz") == ""  # one word has no initials to speak of


def test_an_acronym_is_recognised_with_or_without_dots() -> None:
    assert looks_like_acronym("CSTO")
    assert looks_like_acronym("U.S.")
    assert not looks_like_acronym("Nato")
    assert not looks_like_acronym("ORGANIZATIONS")


def test_a_mention_is_shown_without_a_leading_the_or_quotes() -> None:
    assert surface('"The Washington Monument",') == "Washington Monument"
    assert surface("\u201cOppenheimer\u201d") == "Oppenheimer"
