"""The extractive answerer: short answers of the right type, verbatim cited sentences, abstention."""

from __future__ import annotations

import hashlib
import re
import statistics
import time

import pytest
from shared_data import SEED

from ingest.chunking import sentence_spans
from ingest.embedding import Embedder
from ingest.models import Article
from service.answer.extractive import ExtractiveAnswerer
from service.answer.gazetteers import fits_gazetteer, is_outlet
from service.answer.names import acronym, normalise
from service.answer.nlp import load_nlp
from service.answer.question_types import classify
from service.retrieval.evidence import Passage, Sentence

_WORD = re.compile(r"\w+")
_STOP = frozenset(
    "a an the of to in on and or did does do was were is are be by for with who what which when where how".split()
)
_MARKED = re.compile(r"(.+?) \[(\d+)\](?= |$)", re.DOTALL)


def overlap(question: str, text: str) -> float:
    """Share of the question's content words in ``text`` (a stand-in for retrieval's scorer)."""
    q = {w.lower() for w in _WORD.findall(question)} - _STOP
    t = {w.lower() for w in _WORD.findall(text)}
    return len(q & t) / max(1, len(q))


def article(text: str, title: str = "", source: str = "Example News") -> Article:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return Article(id=digest[:12], title=title or text[:40], text=text, source=source, content_hash=digest)


def passage(art: Article, question: str, score: float = 1.0) -> Passage:
    """The whole article as one passage, its sentences scored by word overlap."""
    sentences = [Sentence(s, e, art.text[s:e], overlap(question, art.text[s:e])) for s, e in sentence_spans(art.text)]
    return Passage(article=art, start=0, end=len(art.text), text=art.text, score=score, sentences=sentences)


def marked_sentences(text: str) -> list[tuple[str, int]]:
    """``("sentence", n)`` pairs of an answer text; the whole text must be made of them."""
    pairs = [(m.group(1).strip(), int(m.group(2))) for m in _MARKED.finditer(text)]
    assert " ".join(f"{s} [{n}]" for s, n in pairs) == text
    return pairs


@pytest.fixture(scope="module")
def answerer() -> ExtractiveAnswerer:
    return ExtractiveAnswerer(nlp=load_nlp())


@pytest.fixture(scope="module")
def seed() -> Article:
    assert SEED.exists(), f"{SEED} is missing: the tests read the seed article from ../shared (or $NEWSDESK_SHARED_DIR)"
    return article(SEED.read_text(encoding="utf-8"), title="Kazakhstan unrest", source="Asianet Newsable")


EARTHQUAKE = article(
    "A powerful earthquake struck eastern Afghanistan late on Sunday, officials said. "
    "The magnitude 6.0 quake killed more than 800 people and injured 2,800 others, according to the Taliban government. "
    "Rescue teams were still searching collapsed mud-brick homes in Kunar province on Tuesday. "
    "The quake hit on August 31, 2025, shortly before midnight local time.",
    title="Earthquake in Afghanistan",
)
CONTRACT_A = article(
    "Acme Industries won the bridge contract, a person familiar with the matter claimed on Monday.",
    source="Daily Rumour",
)
CONTRACT_B = article(
    "The city awarded the bridge contract to Globex Corporation after a long review.", source="City Paper"
)
CONTRACT_C = article(
    "Globex Corporation won the bridge contract, the mayor's office confirmed in a statement.", source="Wire Service"
)


# ----- the contract's seed question -----------------------------------------------------------------


def test_seed_question_yields_the_csto_and_cites_its_sentence(answerer: ExtractiveAnswerer, seed: Article) -> None:
    question = "who sent peacekeepers?"
    draft = answerer.answer(question, [passage(seed, question)])

    assert draft.answered is True
    assert draft.answerer == "extractive"
    assert draft.short_answer in {
        "Collective Security Treaty Organization",
        "Collective Security Treaty Organization (CSTO)",
    }
    key = next(
        seed.text[s:e]
        for s, e in sentence_spans(seed.text)
        if "the Collective Security Treaty Organization --" in seed.text[s:e]
    )
    pairs = marked_sentences(draft.text)
    assert pairs[0] == (key, 1)


def test_seed_question_with_retrievals_own_sentence_scores(
    answerer: ExtractiveAnswerer, seed: Article, embedder: Embedder
) -> None:
    """The same, with the seed cut into chunks as ingest does and scored as retrieval does."""
    from ingest.chunking import Chunker
    from service.retrieval.sentences import score_sentences

    question = "who sent peacekeepers?"
    chunks = Chunker(embedder.tokenizer).split(seed)
    passages = [Passage(article=seed, start=c.start, end=c.end, text=c.text, score=1.0) for c in chunks]
    score_sentences(question, passages, embedder, embedder.encode([question])[0])

    draft = answerer.answer(question, passages)

    assert draft.short_answer in {
        "Collective Security Treaty Organization",
        "Collective Security Treaty Organization (CSTO)",
    }
    sentence, n = marked_sentences(draft.text)[0]
    assert "the Collective Security Treaty Organization --" in sentence
    assert any(s.text == sentence for s in passages[n - 1].sentences)


def test_entities_named_in_the_question_are_not_answers(answerer: ExtractiveAnswerer, seed: Article) -> None:
    question = "Who did Tokayev say stormed Kazakhstan?"
    draft = answerer.answer(question, [passage(seed, question)])

    assert draft.answered is True
    assert draft.short_answer is not None
    assert "tokayev" not in draft.short_answer.lower()
    assert "kazakhstan" not in draft.short_answer.lower()


# ----- question types -------------------------------------------------------------------------------


def test_how_many_question_yields_a_number(answerer: ExtractiveAnswerer) -> None:
    question = "How many people did the earthquake in Afghanistan kill?"
    draft = answerer.answer(question, [passage(EARTHQUAKE, question)])

    assert draft.short_answer is not None
    assert re.search(r"\d", draft.short_answer)
    assert "800" in draft.short_answer


def test_a_subheading_that_asks_the_question_is_not_the_answers_sentence(answerer: ExtractiveAnswerer) -> None:
    # An explainer's subheading repeats the question almost word for word and names a decoy.
    text = (
        "How many Republicans voted against the bill, as Speaker Mike Johnson predicted? "
        "The House passed the bill by a vote of 427-1, with only Rep. Clay Higgins voting no."
    )
    question = "Who voted against the bill in the House?"
    draft = answerer.answer(question, [passage(article(text), question)])

    assert draft.short_answer == "Clay Higgins"
    assert "?" not in draft.text


def test_when_question_yields_a_date(answerer: ExtractiveAnswerer) -> None:
    question = "When did the quake hit Afghanistan?"
    draft = answerer.answer(question, [passage(EARTHQUAKE, question)])

    assert draft.short_answer is not None
    assert "August 31, 2025" in draft.short_answer


def test_where_question_yields_a_place_not_in_the_question(answerer: ExtractiveAnswerer) -> None:
    question = "Where were rescue teams searching collapsed homes?"
    draft = answerer.answer(question, [passage(EARTHQUAKE, question)])

    assert draft.short_answer is not None
    assert "Kunar" in draft.short_answer


def test_which_country_question_yields_a_country(answerer: ExtractiveAnswerer) -> None:
    question = "Which country was struck by a powerful earthquake?"
    draft = answerer.answer(question, [passage(EARTHQUAKE, question)])

    assert draft.short_answer == "Afghanistan"


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("The US struck a boat carrying members of which drug cartel?", "ORG"),
        ("Which country staged a massive military parade this week?", "GPE"),
        ("President Trump met Keir Starmer on a state visit to which country?", "GPE"),
        ("Which tennis player won his second US Open title?", "PERSON"),
        ("What team won the Super Bowl?", "ORG"),
        ("How many inmates escaped from the jail?", "CARDINAL"),
        ("How long did the shutdown last?", "DATE"),
        ("What is the average price of a new car?", "MONEY"),
        ("When was the ceasefire signed?", "DATE"),
        ("Where did the crash occur?", "GPE"),
        ("Who sent peacekeepers?", "PERSON"),
    ],
)
def test_question_type_names_the_expected_entity_label(question: str, label: str) -> None:
    qtype = classify(question, load_nlp())
    assert max(qtype.labels, key=qtype.labels.__getitem__) == label


def test_a_name_after_which_owns_what_is_asked_for_and_is_not_its_type() -> None:
    nlp = load_nlp()
    founder = classify("Which Ben & Jerry's co-founder quit the company?", nlp)
    assert founder.head == "founder" and founder.prior("PERSON") > founder.prior("ORG")
    country = classify("Which country's prime minister quit after the protests?", nlp)
    assert country.head == "country" and country.prior("GPE") > country.prior("PERSON")


def test_question_type_of_why_and_colour_questions() -> None:
    nlp = load_nlp()
    assert not classify("Why did the government shut down?", nlp).wants_entity
    assert classify("Pilots saw a laser this week. What color was the laser?", nlp).closed_class == "color"
    assert classify("Which type of natural disaster forced an evacuation?", nlp).head == "disaster"


# ----- candidates -----------------------------------------------------------------------------------


def test_name_variants_share_one_key() -> None:
    assert normalise("the Collective Security Treaty Organization") == normalise(
        "Collective Security Treaty Organization (CSTO)"
    )
    assert normalise("the U.S.") == normalise("US")
    assert normalise("about 8,000") == normalise("8000")
    assert normalise("Apple\u2019s") == normalise("Apple")
    assert acronym("Collective Security Treaty Organization") == "csto"


def test_agreement_across_two_articles_beats_a_single_mention(answerer: ExtractiveAnswerer) -> None:
    question = "Which company won the bridge contract?"
    passages = [passage(CONTRACT_A, question), passage(CONTRACT_B, question, 0.9), passage(CONTRACT_C, question, 0.8)]
    # The lone claim is the best-ranked passage and its sentence scores highest.
    assert max(s.score for s in passages[0].sentences) >= max(s.score for p in passages[1:] for s in p.sentences)

    draft = answerer.answer(question, passages)

    assert draft.short_answer == "Globex Corporation"
    cited = {n for _, n in marked_sentences(draft.text)}
    assert cited == {2, 3}


def test_a_follow_up_is_answered_with_something_the_conversation_has_not_said(answerer: ExtractiveAnswerer) -> None:
    question = "Which company won the bridge contract?"
    passages = [passage(CONTRACT_A, question), passage(CONTRACT_B, question, 0.9), passage(CONTRACT_C, question, 0.8)]
    assert answerer.answer(question, passages).short_answer == "Globex Corporation"

    draft = answerer.answer(question, passages, already_said=["Globex Corporation"])

    assert draft.answered and draft.short_answer == "Acme Industries"
    assert {n for _, n in marked_sentences(draft.text)} == {1}


def test_a_current_report_outweighs_an_old_one_when_the_question_asks_about_now(
    answerer: ExtractiveAnswerer,
) -> None:
    question = "Which company won the bridge contract?"
    old, current = passage(CONTRACT_A, question), passage(CONTRACT_C, question, 0.9)
    assert answerer.answer(question, [old, current]).short_answer == "Acme Industries"

    old.timeliness = 0.5  # a report from long before the date asked about

    assert answerer.answer(question, [old, current]).short_answer == "Globex Corporation"


def test_a_single_mention_wins_without_competition(answerer: ExtractiveAnswerer) -> None:
    question = "Which company won the bridge contract?"
    draft = answerer.answer(question, [passage(CONTRACT_A, question)])
    assert draft.short_answer == "Acme Industries"


NEPAL = article(
    "Deadly protests led by young people against a social media ban rocked Nepal this week, AP reported. "
    "Demonstrators in Kathmandu set fire to parliament, USA TODAY reported from Sydney. "
    "Protesters in Nepal demanded the ban be lifted.",
    source="usatoday.com",
)
TYPHOON = article(
    "A powerful typhoon forced the evacuation of more than a million people in southern China, AP said. "
    "Typhoon Ragasa brought floods to Guangdong province on Wednesday, Reuters reported.",
    source="apnews.com",
)
ECLIPSE = article(
    "A total lunar eclipse turned the moon a deep reddish color on Sunday night, according to SpacePlace. "
    "The total lunar eclipse was visible across Asia and Europe, NASA said.",
    source="space.com",
)
CARTEL = article(
    "President Donald Trump said the strike hit a boat carrying members of the drug cartel Tren de Aragua. "
    "The strike on the boat killed 11 people, Trump said. "
    "The administration designated the cartel Tren de Aragua a terrorist organization.",
)
MEMORIAL = article(
    "A memorial service for Charlie Kirk was held at State Farm Stadium in Glendale, Arizona, on Sunday. "
    "Tens of thousands attended the memorial service in Glendale.",
)
BURGERS = article("McDonald's is bringing back its Monopoly game after a decade, the fast-food chain said.")
# The small pipeline tags "Nestlé" PERSON here; a company that "said" something is still a company.
NESTLE = article(
    "A company inquiry found that his relationship with a direct subordinate violated the global food brand's "
    "code of conduct, Nestlé said in a news release Monday. "
    "Laurent Freixe was dismissed as chief executive after a year in the role. "
    "Nestlé has replaced its chief executive after an investigation.",
)
POWERBALL = article(
    "Two lucky Powerball players in Missouri and Texas won a combined jackpot of about $1.8 billion, officials said. "
    "The winning Texas ticket was sold at a gas station in Fredericksburg. The Missouri ticket was sold in a small town.",
)


@pytest.mark.parametrize(
    ("question", "art", "expected"),
    [
        # a city is no country, a news outlet never the answer
        ("Which country has been rocked by deadly protests against a social media ban?", NEPAL, "Nepal"),
        # "which type of X": a common noun of the kind asked for
        ("Which type of natural disaster forced a massive evacuation in southern China?", TYPHOON, "typhoon"),
        ("Which celestial event caused the moon to appear a deep reddish color?", ECLIPSE, "total lunar eclipse"),
        # a person (titled, quoted) is no drug cartel
        ("The US struck a boat carrying members of which drug cartel?", CARTEL, "Tren de Aragua"),
        # a city is no state
        ("A memorial service was held for Charlie Kirk in which state?", MEMORIAL, "Arizona"),
        # the possessive of a brand belongs to the name
        ("Which fast-food chain is bringing back Monopoly?", BURGERS, "McDonald's"),
        # a name only quoted as a speaker ("..., Nestlé said") is not thereby a person
        ("Which company ousted its CEO this week over a code of conduct violation?", NESTLE, "Nestlé"),
        # "which two": both, in the order the evidence names them together
        (
            "Which two states sold winning tickets for the $1.8 billion Powerball jackpot?",
            POWERBALL,
            "Missouri and Texas",
        ),
    ],
)
def test_short_answer_is_of_the_kind_asked_for(
    answerer: ExtractiveAnswerer, question: str, art: Article, expected: str
) -> None:
    draft = answerer.answer(question, [passage(art, question)])
    assert draft.short_answer is not None
    assert draft.short_answer.lower() == expected.lower()


def test_outlets_and_gazetteers() -> None:
    assert is_outlet("usa today") and is_outlet("ap") and is_outlet("nbc news") and is_outlet("spaceplace")
    assert is_outlet("example news", ["examplenews.com"])
    assert not is_outlet("nepal", ["usatoday.com"])
    assert fits_gazetteer(normalise("the U.S."), "country") and fits_gazetteer("nepal", "country")
    assert not fits_gazetteer("sydney", "country") and not fits_gazetteer("glendale", "state")
    assert fits_gazetteer("arizona", "state") and fits_gazetteer("glendale", "city")


def test_question_type_of_common_noun_questions() -> None:
    nlp = load_nlp()
    assert classify("Which type of natural disaster forced an evacuation?", nlp).closed_class == "disaster"
    assert classify("Which celestial event turned the moon red?", nlp).closed_class == "sky"
    assert classify("Which illness could be more severe this year?", nlp).closed_class == "disease"
    assert classify("Which weather agency issued the warning?", nlp).closed_class is None
    assert classify("Which award show took place in Los Angeles?", nlp).prior("EVENT") > 0


# ----- the answer text ------------------------------------------------------------------------------


def test_answer_is_one_to_three_verbatim_sentences_each_marked_with_its_passage(answerer: ExtractiveAnswerer) -> None:
    question = "Which company won the bridge contract?"
    filler = article("Traffic on the old bridge was heavy all week. Commuters complained about delays.")
    passages = [passage(filler, question), passage(CONTRACT_B, question, 0.9), passage(CONTRACT_C, question, 0.8)]

    draft = answerer.answer(question, passages)
    pairs = marked_sentences(draft.text)

    assert 1 <= len(pairs) <= 3
    for sentence, n in pairs:
        assert 1 <= n <= len(passages)
        p = passages[n - 1]
        assert any(s.text == sentence and p.article.text[s.start : s.end] == sentence for s in p.sentences)
    assert draft.short_answer is not None
    assert draft.short_answer in pairs[0][0]


def test_a_headline_without_full_stop_never_runs_into_the_next_sentence(answerer: ExtractiveAnswerer) -> None:
    """Split again (as the citation check does), every answer sentence stays whole."""
    question = "Which company won the bridge contract?"
    headline = article("Globex Corporation wins the bridge contract\n\nThe vote was unanimous on Tuesday.")
    passages = [passage(headline, question), passage(CONTRACT_C, question, 0.9)]

    draft = answerer.answer(question, passages)
    pairs = marked_sentences(draft.text)

    assert len(pairs) == 2
    assert pairs[-1][0] == "Globex Corporation wins the bridge contract"
    resplit = [draft.text[s:e] for s, e in sentence_spans(draft.text)]
    assert resplit[0] == pairs[0][0]


def test_passage_markers_follow_the_passage_order(answerer: ExtractiveAnswerer, seed: Article) -> None:
    question = "who sent peacekeepers?"
    unrelated = article("The city council approved a new budget for parks on Tuesday.")
    draft = answerer.answer(question, [passage(unrelated, question), passage(seed, question)])

    pairs = marked_sentences(draft.text)
    assert pairs and all(n == 2 for _, n in pairs)
    assert "Collective Security Treaty Organization" in pairs[0][0]


@pytest.mark.parametrize(
    "question", ["What did Tokayev say about the peacekeepers?", "What happened in Almaty?", "What is the latest?"]
)
def test_a_question_asking_what_was_said_or_what_happened_wants_no_name(question: str) -> None:
    assert not classify(question, load_nlp()).wants_entity


def test_a_what_question_about_a_thing_still_wants_one() -> None:
    nlp = load_nlp()
    assert classify("What did Tesla unveil this week?", nlp).wants_entity
    assert classify("What is the list price of Apple's latest iPhone?", nlp).head == "price"
    assert classify("What news outlet reported the strike first?", nlp).wants_entity


def test_what_someone_said_is_answered_with_the_sentence_not_a_name(
    answerer: ExtractiveAnswerer, seed: Article
) -> None:
    question = "What did Tokayev say about the peacekeepers?"
    draft = answerer.answer(question, [passage(seed, question)])

    assert draft.answered is True and draft.short_answer is None
    assert "remain in the country until the situation is fully stable" in draft.text


def test_why_question_answers_with_sentences_but_no_short_answer(answerer: ExtractiveAnswerer, seed: Article) -> None:
    question = "Why were peacekeepers deployed?"
    draft = answerer.answer(question, [passage(seed, question)])

    assert draft.answered is True
    assert draft.short_answer is None
    assert 1 <= len(marked_sentences(draft.text)) <= 3


# ----- abstention -----------------------------------------------------------------------------------


def test_no_passages_means_not_answered(answerer: ExtractiveAnswerer) -> None:
    draft = answerer.answer("who sent peacekeepers?", [])
    assert draft.answered is False
    assert draft.text == ""
    assert draft.short_answer is None
    assert draft.answerer == "extractive"


def test_when_with_only_a_vague_date_in_the_evidence_is_declined(answerer: ExtractiveAnswerer) -> None:
    question = "When will the host be back on the air?"
    vague = article("The host will be back on the air soon, the network said in a late-night statement this week.")
    draft = answerer.answer(question, [passage(vague, question)])
    assert draft.answered is False and draft.short_answer is None
    # A weekday is placed by the report's own date, which the citation shows.
    weekday = article("The host will be back on the air on Monday, the network said in a late-night statement.")
    assert answerer.answer(question, [passage(weekday, question)]).short_answer == "Monday"
    dated = article("The host will be back on the air on September 23, the network said.")
    assert answerer.answer(question, [passage(dated, question)]).short_answer == "September 23"


def test_how_much_someone_sues_for_is_a_sum_of_money_not_a_count(answerer: ExtractiveAnswerer) -> None:
    question = "How much is the mayor suing the Daily Rumour for?"
    counts = article("The mayor is suing the Daily Rumour and two other papers, his lawyer said on Monday.")
    sums = article("The mayor seeks $15 billion in damages from the Daily Rumour.")
    draft = answerer.answer(question, [passage(counts, question), passage(sums, question, 0.9)])
    assert draft.short_answer == "$15 billion"


def test_a_nationality_is_no_answer_to_a_question_about_a_person(answerer: ExtractiveAnswerer) -> None:
    question = "Which hockey player holds the record for the longest career?"
    only_nationality = article("A European defenceman holds the record for the longest career in the league.")
    draft = answerer.answer(question, [passage(only_nationality, question)])
    assert draft.answered is False and draft.short_answer is None
    named = article("Gordie Howe holds the record for the longest career in the league.")
    assert answerer.answer(question, [passage(named, question)]).short_answer == "Gordie Howe"


def test_no_relevant_sentence_means_not_answered(answerer: ExtractiveAnswerer) -> None:
    question = "Which company won the bridge contract?"
    unrelated = article("Heavy rain is expected across the region this weekend. Forecasters urged caution.")
    p = passage(unrelated, question)
    assert all(s.score == 0 for s in p.sentences)

    draft = answerer.answer(question, [p])
    assert draft.answered is False
    assert draft.text == ""


# ----- the model and the time budget ----------------------------------------------------------------


def test_spacy_pipeline_loads_once_with_only_the_pipes_needed() -> None:
    nlp = load_nlp()
    assert load_nlp() is nlp
    assert {"ner", "tagger", "parser"} <= set(nlp.pipe_names)
    assert "lemmatizer" not in nlp.pipe_names


def test_answer_over_eight_passages_is_fast(seed: Article) -> None:
    """The budget is well under 50 ms on 2 cores; the bound here leaves room for a busy CI machine."""
    texts = [seed, EARTHQUAKE, CONTRACT_A, CONTRACT_B, CONTRACT_C]
    questions = [
        "who sent peacekeepers?",
        "How many people did the earthquake kill?",
        "Which company won the contract?",
    ]
    uncached = ExtractiveAnswerer(nlp=load_nlp(), cache_entities=False)
    timings = []
    for i, question in enumerate(questions * 3):
        passages = []
        for j in range(8):
            src = texts[(i + j) % len(texts)]
            arts = article(src.text + f"\n\nUpdate {i}-{j}: more details are expected.", source=f"Outlet {j}")
            passages.append(passage(arts, question, 1.0 - j / 10))
        t0 = time.perf_counter()
        uncached.answer(question, passages)
        timings.append(1000 * (time.perf_counter() - t0))
    assert statistics.median(timings) < 150


# ----- how the short answer is written ---------------------------------------------------------------


def test_a_name_the_articles_also_abbreviate_is_shown_with_its_acronym(answerer: ExtractiveAnswerer) -> None:
    question = "Which broadcaster did the president sue this week?"
    text = (
        "The president sued the British Broadcasting Corporation for $10 billion on Monday over an edited speech. "
        "The BBC said it would fight the lawsuit the president filed this week."
    )
    draft = answerer.answer(question, [passage(article(text, source="Wire Service"), question)])
    assert draft.short_answer == "British Broadcasting Corporation (BBC)"


def test_an_acronym_answer_is_shown_once(answerer: ExtractiveAnswerer) -> None:
    question = "Which country did the envoy visit on Monday?"
    text = "The envoy visited the U.S. on Monday for talks. Officials in the U.S. welcomed the envoy's visit."
    draft = answerer.answer(question, [passage(article(text), question)])
    assert draft.short_answer == "U.S."


def test_a_place_is_shown_with_the_state_the_articles_give(answerer: ExtractiveAnswerer) -> None:
    question = "Where did the Pilgrims celebrate the first Thanksgiving?"
    text = (
        "Historians say the Pilgrims celebrated the first Thanksgiving in Plymouth, Massachusetts, in 1621. "
        "The harvest feast in Plymouth lasted three days."
    )
    draft = answerer.answer(question, [passage(article(text), question)])
    assert draft.short_answer == "Plymouth, Massachusetts"


def test_a_state_or_country_answer_gets_no_region_added(answerer: ExtractiveAnswerer) -> None:
    question = "Where did the activist's memorial service take place?"
    text = "A memorial service for the activist was held in Arizona, United States, on Sunday before tens of thousands."
    draft = answerer.answer(question, [passage(article(text), question)])
    assert draft.short_answer == "Arizona"


def test_which_holiday_is_answered_by_its_name_not_the_day_it_fell_on(answerer: ExtractiveAnswerer) -> None:
    question = "Which holiday, known as the festival of lights, was celebrated this week?"
    text = "Millions of Hindus celebrated Diwali, the festival of lights, on Monday, Oct. 20, with lamps and fireworks."
    draft = answerer.answer(question, [passage(article(text), question)])
    assert draft.short_answer == "Diwali"


def test_who_is_the_role_is_answered_by_the_name_beside_that_role(answerer: ExtractiveAnswerer) -> None:
    # The small recogniser finds no entity in "Mayor Ana Ruiz called ..." and calls Elena Marsh an ORG;
    # the role the question names, right before each, says they are the people asked about.
    text = (
        "The 19th-century customs house will reopen as the city library in September. "
        "Chief librarian Elena Marsh said the building would also house the city archive. "
        'Mayor Ana Ruiz called the vote "the most important decision this council has taken in a generation".'
    )
    art = article(text, title="Old customs house to reopen as city library")
    for question, name in [("who is the chief librarian?", "Elena Marsh"), ("who is the mayor?", "Ana Ruiz")]:
        draft = answerer.answer(question, [passage(art, question)])
        assert draft.short_answer == name, question
        assert name in draft.text


def test_a_who_is_question_names_the_role_it_asks_about() -> None:
    nlp = load_nlp()
    assert classify("who is the chief librarian?", nlp).head == "librarian"
    assert classify("who was the CEO of Nestle?", nlp).head == "ceo"
    assert classify("who won the world series?", nlp).head is None


def test_how_long_is_answered_by_a_length_of_time_never_a_weekday(answerer: ExtractiveAnswerer) -> None:
    bridge = article(
        "The harbour bridge will close to cars for three weeks from April 2 while engineers replace its "
        "expansion joints, the city said on Thursday."
    )
    ferry = article("Ferry crews walked out on Thursday; the bridge stayed closed to ferries.")
    question = "how long will the bridge be closed?"
    draft = answerer.answer(question, [passage(bridge, question), passage(ferry, question)])
    assert draft.short_answer == "three weeks"


@pytest.mark.parametrize(
    ("question", "text", "short_answer"),
    [
        pytest.param(
            "when will the library open?",
            "The 19th-century customs house on the quay will reopen as the central library in September, "
            "after a four-year restoration.",
            "September",
            id="when is never a date that only describes a thing",
        ),
        pytest.param(
            "how many homes get heat pumps?",
            "Port Alden will install heat pumps in 1,200 council homes over the next three years. "
            "The first 200 homes, in the Eastbank estate, will be fitted this summer.",
            "1,200",
            id="a count is not found again inside a larger figure",
        ),
        pytest.param(
            "what will the tram cost?",
            "The Port Alden city council voted 31 to 14 on Tuesday to build a tram line along the river. "
            "The city's transport department put the cost at 410 million euros.",
            "410 million euros",
            id="what something will cost asks for a sum of money",
        ),
    ],
)
def test_the_short_answer_is_the_thing_of_the_kind_asked_for(
    answerer: ExtractiveAnswerer, question: str, text: str, short_answer: str
) -> None:
    draft = answerer.answer(question, [passage(article(text), question)])
    assert draft.short_answer == short_answer


def test_a_yes_or_no_question_gets_the_sentences_and_no_name(answerer: ExtractiveAnswerer) -> None:
    text = (
        "Ferry crews on the Port Alden to Skerry Island route walked out for a second day on Thursday. "
        "Cyclists and pedestrians can still cross the harbour on the northern walkway."
    )
    question = "can cyclists still cross the harbour?"
    assert not classify(question, load_nlp()).wants_entity
    draft = answerer.answer(question, [passage(article(text), question)])
    assert draft.answered and draft.short_answer is None
    assert draft.text.startswith("Cyclists and pedestrians can still cross")


def test_what_someone_called_something_is_answered_with_the_sentence_not_a_name() -> None:
    nlp = load_nlp()
    assert not classify("what did Ana Ruiz call the vote?", nlp).wants_entity
    assert classify("what is Taylor Swift's new album called?", nlp).wants_entity
