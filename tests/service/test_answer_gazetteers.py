"""Names of a known kind: news outlets are no answers, and "which country" wants a country."""

from __future__ import annotations

from service.answer.gazetteers import fits_gazetteer, is_country_or_state, is_outlet
from service.answer.names import normalise


def test_outlets_known_to_ingest_are_outlets_to_the_answerer_too() -> None:
    assert is_outlet(normalise("The Associated Press"))
    assert is_outlet(normalise("Xinhua"))  # a wire service ingest knows from datelines
    assert is_outlet(normalise("USA TODAY"))
    assert not is_outlet(normalise("Kazakhstan"))


def test_the_articles_own_host_names_an_outlet_but_a_government_site_does_not() -> None:
    assert is_outlet("bay post", sources=["baypost.com"])
    assert not is_outlet("nasa", sources=["nasa.gov"])


def test_which_country_accepts_only_countries_and_which_state_only_states() -> None:
    assert fits_gazetteer(normalise("the U.K."), "country")
    assert fits_gazetteer(normalise("Democratic Republic of the Congo"), "country")
    assert not fits_gazetteer(normalise("Paris"), "country")
    assert fits_gazetteer(normalise("Texas"), "state")
    assert not fits_gazetteer(normalise("Ontario"), "state")
    assert fits_gazetteer(normalise("Paris"), "city")  # no list for cities: anything goes


def test_a_country_or_a_state_is_recognised_whichever_it_is() -> None:
    assert is_country_or_state("norway")
    assert is_country_or_state("massachusetts")
    assert not is_country_or_state("plymouth")
