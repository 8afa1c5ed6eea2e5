"""Sentence splitting: news-aware boundaries, exact trimmed spans, linear time."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st
from shared_data import SHARED

from ingest.chunking import sentence_spans


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def test_plain_sentences_split_after_full_stops_questions_and_exclamations() -> None:
    assert sentences("The vote passed. Was it close? Not at all! Turnout was high.") == [
        "The vote passed.",
        "Was it close?",
        "Not at all!",
        "Turnout was high.",
    ]


def test_abbreviations_like_us_do_not_end_a_sentence() -> None:
    text = "The U.S. Army and U.K. forces met U.N. officials. They talked."
    assert sentences(text) == ["The U.S. Army and U.K. forces met U.N. officials.", "They talked."]


def test_an_abbreviation_at_the_end_of_a_sentence_still_ends_it_before_a_sentence_opener() -> None:
    text = "He moved to the U.S. The next year he left. Apple Inc. said profits rose."
    assert sentences(text) == ["He moved to the U.S.", "The next year he left.", "Apple Inc. said profits rose."]


def test_titles_never_end_a_sentence() -> None:
    text = "Mr. Smith met Dr. Jones, Gen. Milley, Sen. Warren, Rep. Ocasio-Cortez and Gov. Newsom. Prof. Lee spoke."
    assert sentences(text) == [
        "Mr. Smith met Dr. Jones, Gen. Milley, Sen. Warren, Rep. Ocasio-Cortez and Gov. Newsom.",
        "Prof. Lee spoke.",
    ]


def test_initials_do_not_end_a_sentence() -> None:
    assert sentences("John F. Kennedy and George W. Bush were presidents. Both were elected.") == [
        "John F. Kennedy and George W. Bush were presidents.",
        "Both were elected.",
    ]


def test_dates_numbers_and_times_do_not_end_a_sentence() -> None:
    text = "It happened on Jan. 6 at 3 p.m. Eastern time. It was ranked No. 1 with 3.5 points. Prices rose 2.7% in Feb."
    assert sentences(text) == [
        "It happened on Jan. 6 at 3 p.m. Eastern time.",
        "It was ranked No. 1 with 3.5 points.",
        "Prices rose 2.7% in Feb.",
    ]


def test_latin_abbreviations_and_versus_do_not_end_a_sentence() -> None:
    text = "Some states, e.g. Texas, i.e. the largest, sued. Roe v. Wade and Smith vs. Jones etc. were cited."
    assert sentences(text) == [
        "Some states, e.g. Texas, i.e. the largest, sued.",
        "Roe v. Wade and Smith vs. Jones etc. were cited.",
    ]


def test_a_closing_quote_stays_with_its_sentence() -> None:
    assert sentences('He said "no." Then he left.') == ['He said "no."', "Then he left."]
    assert sentences("She said: \u201cWe will stay.\u201d The crowd cheered.") == [
        "She said: \u201cWe will stay.\u201d",
        "The crowd cheered.",
    ]


def test_a_quoted_question_followed_by_its_attribution_is_one_sentence() -> None:
    assert sentences('"Why now?" she asked. "Because!" He laughed.') == [
        '"Why now?" she asked.',
        '"Because!"',
        "He laughed.",
    ]


def test_an_ellipsis_inside_a_sentence_does_not_split_it() -> None:
    text = "We will ... win this. It ended... The next day was calm. And then... nothing happened."
    assert sentences(text) == [
        "We will ... win this.",
        "It ended...",
        "The next day was calm.",
        "And then... nothing happened.",
    ]


def test_paragraph_breaks_always_end_a_sentence_and_headlines_stand_alone() -> None:
    text = "Kazakhstan unrest\n\nAlmaty, Jan 11, 2022\nForeign terrorists attacked the city\n\nA new paragraph"
    assert sentences(text) == [
        "Kazakhstan unrest",
        "Almaty, Jan 11, 2022",
        "Foreign terrorists attacked the city",
        "A new paragraph",
    ]


def test_a_byline_and_dateline_on_their_own_lines_are_their_own_sentences() -> None:
    text = (
        "Anish Kumar\n    Almaty, First Published Jan 11, 2022\n    Foreign terrorists stormed the city. Police fled."
    )
    assert sentences(text) == [
        "Anish Kumar",
        "Almaty, First Published Jan 11, 2022",
        "Foreign terrorists stormed the city.",
        "Police fled.",
    ]


def test_hard_wrapped_lines_are_joined_into_sentences() -> None:
    text = (
        "The council voted on Tuesday to build a new tram\n"
        "line along the river and to close two bus routes in\n"
        "the old town. Construction is expected to start in\n"
        "spring.\n"
    )
    assert sentences(text) == [
        "The council voted on Tuesday to build a new tram\nline along the river and to close two bus routes in\nthe old town.",
        "Construction is expected to start in\nspring.",
    ]


def test_a_line_continuing_in_lower_case_is_not_a_new_sentence() -> None:
    assert sentences("Officials said the\nbridge would reopen. It did.") == [
        "Officials said the\nbridge would reopen.",
        "It did.",
    ]


def test_list_numbers_at_the_start_of_a_line_do_not_form_sentences() -> None:
    text = "Top stories\n\n1. Snowstorm hits the coast.\n\n2. Markets rally."
    assert sentences(text) == ["Top stories", "1. Snowstorm hits the coast.", "2. Markets rally."]


def test_decimals_domains_and_versions_do_not_split() -> None:
    assert sentences("Visit example.com for version 2.0.1 of the report, which costs $3.50. It is free.") == [
        "Visit example.com for version 2.0.1 of the report, which costs $3.50.",
        "It is free.",
    ]


def test_cjk_full_stops_split_without_spaces() -> None:
    assert sentences("北京是首都。上海很大！真的吗？是的") == ["北京是首都。", "上海很大！", "真的吗？", "是的"]


def test_windows_line_endings_and_odd_whitespace_are_handled() -> None:
    text = "First line\r\n\r\nSecond one.\u00a0Third one.\u2029Fourth"
    assert sentences(text) == ["First line", "Second one.", "Third one.", "Fourth"]


def test_empty_and_blank_texts_have_no_sentences() -> None:
    assert sentence_spans("") == []
    assert sentence_spans(" \n\n\t \u00a0") == []


def test_the_seed_article_keeps_the_peacekeepers_sentence_whole() -> None:
    text = (SHARED / "seed" / "kazakhstan-csto.txt").read_text(encoding="utf-8")
    found = [s for s in sentences(text) if "Collective Security Treaty Organization" in s]
    # One whole sentence, from its opening words to its full stop (the text stays in ../shared).
    assert len(found) == 1
    assert found[0].startswith("In order to bring peace") and found[0].endswith("were deployed.")
    assert found[0] in text
    assert "Anish Kumar" in sentences(text)


def check_spans(text: str) -> None:
    spans = sentence_spans(text)
    previous_end = 0
    for s, e in spans:
        assert previous_end <= s < e <= len(text)
        piece = text[s:e]
        assert piece == piece.strip() and piece
        assert not text[previous_end:s].strip(), "characters between sentences must be whitespace"
        previous_end = e
    assert not text[previous_end:].strip()


TEXT_PARTS = st.one_of(
    st.sampled_from(
        [
            "The",
            "said",
            "U.S.",
            "Mr.",
            "Jan.",
            "3.5",
            "No.",
            "e.g.",
            "etc.",
            "F.",
            "\u2026",
            "...",
            ".",
            "?",
            "!",
            '"',
            "\u201d",
            ")",
            "(",
            "\u3002",
            "\u5317\u4eac",
            "na\u00efve",
            "e\u0301",
            "\U0001f600",
            "\u200b",
        ]
    ),
    st.sampled_from([" ", "  ", "\n", "\n\n", "\r\n", "\t", "\u00a0", "\u2028", "\x0c", " \n \n "]),
    st.text(min_size=1, max_size=12),
    st.text(alphabet="abcxyz", min_size=40, max_size=300),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT_PARTS, max_size=60).map("".join))
def test_spans_are_trimmed_ordered_and_cover_every_non_whitespace_character(text: str) -> None:
    check_spans(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_spans_hold_for_arbitrary_unicode(text: str) -> None:
    check_spans(text)


def test_splitting_is_linear_and_fast_even_on_pathological_text() -> None:
    news = (SHARED / "seed" / "kazakhstan-csto.txt").read_text(encoding="utf-8")
    size = 300_000
    texts = [
        news * (size // len(news)),
        "." * size,
        "a" * size,
        "Mr. " * (size // 4),
        ". " * (size // 2),
        " \n" * (size // 2),
        "\n" + " " * size,
        ")" * size,
    ]
    for text in texts:
        started = time.perf_counter()
        check_spans(text)
        assert time.perf_counter() - started < 10, f"{text[:8]!r}...: 300,000 characters must split in seconds"
