"""Short-answer candidates: the entities of the expected type in the evidence, merged and scored.

Every mention of a fitting entity in a relevant sentence votes for its candidate with that
sentence's weight (its relevance to the question times its passage's rank weight) times
how well the entity's label fits the question. Within one article, further mentions count
for less; each further article that names the same candidate multiplies its support
(agreement across independent reports is the strongest sign we have).

Variants of one name become one candidate: case, a leading "the", a possessive, a
parenthetical ("... Organization (CSTO)"), dotted initials ("U.S."), hedges on numbers
("about 8,000"), an acronym of a longer name in the same evidence ("CSTO"), and a person's
surname alone ("Alcaraz" for "Carlos Alcaraz"). Names the question itself mentions are
never candidates: "Who did Tokayev say stormed Kazakhstan?" is not answered "Kazakhstan".

Nor are news outlets (AP, USA TODAY, the articles' own source) unless the question asks for
one ("which broadcaster"); "which country" / "which state" accept only countries / US states
(small gazetteers below); a plainly titled person is no answer to "which cartel". "Which two"
questions get the best two candidates as one answer ("Missouri and Texas").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from service.answer.question_types import CLOSED_CLASSES, QuestionType
from service.retrieval.evidence import Sentence

__all__ = ["Candidate", "Evidence", "Mention", "Weights", "asks_for_two", "join_pair", "normalise", "rank_candidates"]


@dataclass(frozen=True)
class Weights:
    """How candidate support adds up (tuned with ``bench/extractive_dev.py``)."""

    same_article: float = 0.3  # each further sentence of an article that already counted
    agreement: float = 0.5  # each further article multiplies support by (1 + agreement)
    relative_date: float = 0.3  # "this week", "Monday": barely an answer to "when"
    attribution: float = 0.5  # "..., Tokayev said": the source of a statement, rarely its answer
    min_prior: float = 0.0  # labels that fit the question less than this are ignored
    proximity: float = 0.0  # share of a vote that depends on being near the question's words
    unit: float = 0.5  # "how many days": a number without "days" after it
    title: float = 0.5  # support from each passage whose article's headline names the candidate
    slot: float = 0.5  # a mention where the question's wh-phrase sits ("members of X", "X won")
    beside_head: float = 0.5  # a mention just after the question's head noun ("the cartel Tren de Aragua")


@dataclass(frozen=True)
class Evidence:
    """One scored sentence of passage ``passage`` (0-based) and its weight for this question."""

    passage: int
    article_id: str
    sentence: Sentence
    weight: float


@dataclass(frozen=True)
class Mention:
    """An entity as written in an evidence sentence (``sentence.text[start:end] == text``)."""

    evidence: Evidence
    start: int
    end: int
    text: str
    label: str


@dataclass
class Candidate:
    """One possible short answer and every mention that supports it."""

    key: str
    mentions: list[Mention] = field(default_factory=list)
    score: float = 0.0
    display: str = ""

    @property
    def articles(self) -> set[str]:
        """Ids of the articles that mention it."""
        return {m.evidence.article_id for m in self.mentions}

    @property
    def labels(self) -> Counter[str]:
        """How often each entity label was given to it."""
        return Counter(m.label for m in self.mentions)


# ---------------------------------------------------------------------------- normalising

_STOP = frozenset("the a an of and for in on at to by with from as is was were are be this that".split())
# Last words of names that say what, not who: "Gaza City" is not named by "which city".
_GENERIC_NAME_WORDS = frozenset(
    """city state states county island islands river lake mountain mount university college school airport
    museum party house day week year years times post news company group department international national
    league cup awards award festival prize street square park center centre hospital court church bridge""".split()
)
_HEDGES = (
    "an estimated",
    "estimated",
    "about",
    "around",
    "approximately",
    "roughly",
    "nearly",
    "almost",
    "more than",
    "less than",
    "fewer than",
    "over",
    "under",
    "some",
    "up to",
    "at least",
    "just over",
    "just under",
    "only",
)
_HEDGE_RE = re.compile(r"^(?:" + "|".join(re.escape(h) for h in _HEDGES) + r")\s+")
_TOKEN = re.compile(r"[\w$%£€]+(?:[.,'&+-][\w$%]+)*\.?")
_PAREN = re.compile(r"\s*[(\[][^)\]]*[)\]]")
_MONTHS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
_VAGUE_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday the this last next past coming previous
    earlier later recent early late mid today tonight yesterday tomorrow now""".split()
)


def vague_date(text: str) -> bool:
    """A date that names no day, month, year or occasion: "this week", "Monday", "decades"."""
    if any(ch.isdigit() for ch in text):
        return False
    for word in re.findall(r"[^\W\d_]+", text):
        low = word.lower()
        if low in _MONTHS or (word[0].isupper() and low not in _VAGUE_WORDS):
            return False
    return True


_TERM = re.compile(r"[^\W_]+")


def _term_positions(text: str, terms: frozenset[str]) -> list[int]:
    """Where the question's words (compared by their first five letters) occur in ``text``."""
    stems = {t[:5] for t in terms if len(t) > 2}
    return [m.start() for m in _TERM.finditer(text.lower()) if m.group(0)[:5] in stems]


def _proximity(m: Mention, positions: list[int]) -> float:
    """1 next to a question word, falling with the distance in characters; 0 with none."""
    if not positions:
        return 0.0
    dist = min(0 if m.start <= p < m.end else min(abs(p - m.start), abs(p - m.end)) for p in positions)
    return 1.0 / (1.0 + dist / 40.0)


def _names_unit(m: Mention, unit: str) -> bool:
    """Does "how many <unit>" find its unit in or just after the mention ("10 inmates")?"""
    stem = unit.lower()[:5]
    after = m.evidence.sentence.text[m.start : m.end + 40].lower()
    return any(w[:5] == stem for w in _TERM.findall(after)[:6])


def _clean(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(t.split())


def surface(text: str) -> str:
    """A mention as it may be shown: no leading "the", no quotes or punctuation around it."""
    t = _clean(text).strip(' "\u201c\u201d,;:-')
    t = re.sub(r"^(?:the|The|THE)\s+", "", t)
    return t.strip()


def _tokens(text: str) -> list[str]:
    out = []
    for tok in _TOKEN.findall(_clean(text).lower()):
        if any(ch.isalpha() for ch in tok):
            tok = tok.replace(".", "").replace("'", "")
        else:
            tok = tok.rstrip(".").replace(",", "")
        if tok:
            out.append(tok)
    return out


def normalise(text: str) -> str:
    """The key variants of one name share: lower case, no "the", possessive, brackets or hedges."""
    t = _PAREN.sub("", _clean(text).lower())
    t = re.sub(r"'s\b", "", t)
    t = _HEDGE_RE.sub("", t)
    tokens = _tokens(t)
    while tokens and tokens[0] in {"the", "a", "an"}:
        tokens = tokens[1:]
    return " ".join(tokens)


def acronym(text: str) -> str:
    """Initials of the capitalised words of ``text`` ("Collective Security Treaty Organization" -> "csto")."""
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", _PAREN.sub("", text)) if w.lower() not in _STOP]
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words).lower()


def _looks_like_acronym(text: str) -> bool:
    t = surface(text).replace(".", "")
    return 2 <= len(t) <= 6 and t.isalpha() and t.isupper()


# ---------------------------------------------------------------------------- gazetteers

# News outlets and wire services: they write the articles, they are (almost) never the answer.
_OUTLET_NAMES = frozenset(
    n.strip()
    for n in (
        "ap, associated press, reuters, afp, agence france-presse, bloomberg, bloomberg news, cnn, cnbc, msnbc, nbc, "
        "nbc news, abc, abc news, cbs, cbs news, fox news, fox business, pbs, npr, bbc, bbc news, usa today, "
        "new york times, nyt, washington post, wall street journal, wsj, los angeles times, la times, "
        "politico, axios, newsweek, time magazine, forbes, business insider, yahoo news, "
        "huffpost, huffington post, daily mail, sky news, al jazeera, spaceplace, space.com, "
        "live science, gasbuddy, upi, vox, buzzfeed, people magazine, "
        "hollywood reporter, rolling stone, espn, tmz, e news, verge, techcrunch, "
        "cnet, gizmodo, newsnation, scripps news, cbs mornings, today show, good morning america, "
        "nbc news now, cnn wire, usa today network, gannett, ap news, reuters news"
    ).split(",")
)
# Heads for which an outlet is the expected answer ("which broadcaster was sued").
_OUTLET_HEADS = frozenset(
    "broadcaster network channel newspaper magazine outlet publication paper station agency service show".split()
)


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


_OUTLET_SQUASHED = frozenset(_squash(n) for n in _OUTLET_NAMES)


def is_outlet(key: str, sources: Iterable[str] = ()) -> bool:
    """Is ``key`` (a normalised name) a news outlet: a known one, or the articles' own source
    ("usatoday.com" names "USA TODAY")?"""
    sq = _squash(key)
    if not sq:
        return False
    if sq in _OUTLET_SQUASHED:
        return True
    for source in sources:
        host = source.lower().removeprefix("www.")
        if re.search(r"\.(?:gov|mil|int|org|edu)(?:\.[a-z]{2})?$", host):
            continue  # nasa.gov, un.org: institutions, which may well be the answer
        host = re.sub(r"\.(?:co|com)?\.?[a-z]{2,3}$", "", host)
        name = _squash(host)
        if name and (sq == name or sq == _squash(host)):
            return True
    return False


def _keys(text: str) -> frozenset[str]:
    return frozenset(n.strip() for n in text.split(",") if n.strip())


# Countries (and the ways the news writes them), normalised as ``normalise`` would.
COUNTRIES = _keys(
    "afghanistan, albania, algeria, andorra, angola, antigua and barbuda, argentina, armenia, australia, austria, "
    "azerbaijan, bahamas, bahrain, bangladesh, barbados, belarus, belgium, belize, benin, bhutan, bolivia, "
    "bosnia and herzegovina, bosnia, botswana, brazil, brunei, bulgaria, burkina faso, burundi, cambodia, cameroon, "
    "canada, cape verde, central african republic, chad, chile, china, colombia, comoros, congo, "
    "democratic republic of congo, democratic republic of the congo, drc, costa rica, ivory coast, cote divoire, "
    "croatia, cuba, cyprus, czech republic, czechia, denmark, djibouti, dominica, dominican republic, ecuador, "
    "egypt, el salvador, equatorial guinea, eritrea, estonia, eswatini, ethiopia, fiji, finland, france, gabon, "
    "gambia, georgia, germany, ghana, greece, grenada, guatemala, guinea, guinea-bissau, guyana, haiti, honduras, "
    "hungary, iceland, india, indonesia, iran, iraq, ireland, israel, italy, jamaica, japan, jordan, kazakhstan, "
    "kenya, kiribati, kosovo, kuwait, kyrgyzstan, laos, latvia, lebanon, lesotho, liberia, libya, liechtenstein, "
    "lithuania, luxembourg, madagascar, malawi, malaysia, maldives, mali, malta, marshall islands, mauritania, "
    "mauritius, mexico, micronesia, moldova, monaco, mongolia, montenegro, morocco, mozambique, myanmar, burma, "
    "namibia, nauru, nepal, netherlands, holland, new zealand, nicaragua, niger, nigeria, north korea, "
    "north macedonia, norway, oman, pakistan, palau, palestine, panama, papua new guinea, paraguay, peru, "
    "philippines, poland, portugal, qatar, romania, russia, rwanda, saint kitts and nevis, saint lucia, samoa, "
    "san marino, saudi arabia, senegal, serbia, seychelles, sierra leone, singapore, slovakia, slovenia, "
    "solomon islands, somalia, south africa, south korea, korea, south sudan, spain, sri lanka, sudan, suriname, "
    "sweden, switzerland, syria, taiwan, tajikistan, tanzania, thailand, timor-leste, east timor, togo, tonga, "
    "trinidad and tobago, tunisia, turkey, turkiye, turkmenistan, tuvalu, uganda, ukraine, united arab emirates, "
    "uae, united kingdom, uk, u.k., britain, great britain, england, scotland, wales, northern ireland, "
    "united states, united states of america, us, u.s., usa, america, uruguay, uzbekistan, vanuatu, "
    "vatican, vatican city, holy see, venezuela, vietnam, yemen, zambia, zimbabwe, greenland, gaza, "
    "palestinian territories, west bank, hong kong"
)
US_STATES = _keys(
    "alabama, alaska, arizona, arkansas, california, colorado, connecticut, delaware, florida, georgia, hawaii, "
    "idaho, illinois, indiana, iowa, kansas, kentucky, louisiana, maine, maryland, massachusetts, michigan, "
    "minnesota, mississippi, missouri, montana, nebraska, nevada, new hampshire, new jersey, new mexico, "
    "new york, north carolina, north dakota, ohio, oklahoma, oregon, pennsylvania, rhode island, "
    "south carolina, south dakota, tennessee, texas, utah, vermont, virginia, washington, west virginia, "
    "wisconsin, wyoming, puerto rico, district of columbia"
)
_COUNTRY_HEADS = frozenset("country nation".split())
_STATE_HEADS = frozenset("state".split())


def _gazetteer_key(key: str) -> str:
    return key.replace(".", "").replace(" of the ", " of ").strip()


_COUNTRY_KEYS = frozenset(_gazetteer_key(normalise_plain) for normalise_plain in COUNTRIES)
_STATE_KEYS = frozenset(_gazetteer_key(k) for k in US_STATES)


_FOREIGN_STATE = re.compile(r"\b(?!(?:Which|What|US|American|In|The|A|This|That)\b)[A-Z][a-z]+\s+states?\b")


def _is_country_or_state(key: str) -> bool:
    return _gazetteer_key(key) in _COUNTRY_KEYS or _gazetteer_key(key) in _STATE_KEYS


def fits_gazetteer(cand_key: str, head: str | None) -> bool:
    """For "which country" / "which state": is the candidate one (a city is not)?"""
    if head in _COUNTRY_HEADS:
        return _gazetteer_key(cand_key) in _COUNTRY_KEYS
    if head in _STATE_HEADS:
        return _gazetteer_key(cand_key) in _STATE_KEYS
    return True


# ---------------------------------------------------------------------------- mentions


_ORG_LAST_WORDS = frozenset(
    """corporation corp corp. inc inc. co co. company companies ltd ltd. llc plc group holdings bank airlines
    airways motors industries technologies systems partners ventures university college institute foundation
    association agency ministry department council committee commission party union league federation""".split()
)
_LOC_FIRST_WORDS = frozenset("mount mt. lake river gulf cape".split())


def relabel(text: str, label: str) -> str:
    """Fix the small model's plainest slips: "Globex Corporation" is no PERSON."""
    words = text.lower().split()
    if not words:
        return label
    if label in {"PERSON", "GPE", "NORP", "PRODUCT", "WORK_OF_ART", "FAC"} and words[-1] in _ORG_LAST_WORDS:
        return "ORG"
    if label in {"PERSON", "ORG", "GPE"} and words[0] in _LOC_FIRST_WORDS and len(words) > 1:
        return "LOC"
    return label


# Names written with a possessive "'s" that belongs to the name.
_POSSESSIVE_BRANDS = frozenset(
    """mcdonald macy wendy kohl dillard denny applebee lowe domino arby hardee chili sotheby christie kellogg
    moody claire friendly nathan levi reese hershey welch wrigley walgreen culver zaxby bojangle""".split()
    + ["trader joe", "raising cane", "papa john", "ben & jerry", "jimmy john", "dave & buster", "carl"]
)


_CURRENCY_AFTER = re.compile(
    r"\s+(?:euros?|dollars?|pounds?(?: sterling)?|yen|yuan|renminbi|rupees?|francs?|kronor|kroner|rubles?"
    r"|roubles?|pesos?|reais|won|shekels?|dirhams?|riyals?|rand)\b",
    re.I,
)


def _beside_head(text: str, start: int, end: int, head: str) -> bool:
    """Is the mention next to the question's head noun: "the drug cartel Tren de Aragua",
    "the fast-food chain McDonald's"? (A sign of its type the recogniser may miss.)"""
    stem = head.lower()[: max(4, len(head) - 1)]
    before = _TERM.findall(text[max(0, start - 30) : start].lower())[-2:]
    return any(w.startswith(stem) and len(w) <= len(head) + 2 for w in before)


def entity_mentions(
    evidence: Sequence[Evidence], entities: Sequence[Iterable[tuple[int, int, str]]], qtype: QuestionType
) -> list[Mention]:
    """Mentions of entities whose label fits ``qtype`` (entities as ``(start, end, label)``)."""
    out = []
    for ev, ents in zip(evidence, entities, strict=True):
        text = ev.sentence.text
        for start, end, label in ents:
            label = relabel(text[start:end], label)
            if label == "CARDINAL":  # "410 million euros": the small model misses spelled-out currencies
                currency = _CURRENCY_AFTER.match(text, end)
                if currency:
                    end, label = currency.end(), "MONEY"
            if label == "MONEY":  # the recogniser leaves the currency sign out: "$" "2,000"
                while start > 0 and text[start - 1] in "$\u00a3\u20ac\u00a5":
                    start -= 1
            if text[end : end + 2] in {"'s", "\u2019s"} and text[start:end].lower() in _POSSESSIVE_BRANDS:
                end += 2  # "McDonald's" is the name, not McDonald's possession
                label = "ORG"
            if qtype.head and label in {"GPE", "LOC", "FAC", "ORG"}:
                # "Gaza City" when the recogniser only took "Gaza" and the question asks "which city".
                tail = " " + qtype.head.capitalize()
                if text.startswith(tail, end) and not text[end + len(tail) : end + len(tail) + 1].isalnum():
                    end += len(tail)
            if qtype.prior(label) > 0:
                out.append(Mention(ev, start, end, text[start:end], label))
    return out


@lru_cache(maxsize=32)
def _closed_pattern(name: str) -> re.Pattern[str]:
    """Words and phrases of a closed class, longest first, plurals too, spaces or hyphens between words."""
    alternatives = []
    for phrase in sorted(CLOSED_CLASSES[name], key=len, reverse=True):
        parts = [re.escape(p) for p in re.split(r"[\s-]+", phrase)]
        alternatives.append(r"[\s-]+".join(parts))
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?:e?s)?(?![\w-])", re.IGNORECASE)


def closed_class_mentions(evidence: Sequence[Evidence], name: str) -> list[Mention]:
    """Mentions of the words of a closed class ("color": red, green, ...)."""
    pattern = _closed_pattern(name)
    out = []
    for ev in evidence:
        for m in pattern.finditer(ev.sentence.text):
            out.append(Mention(ev, m.start(), m.end(), m.group(0), name.upper()))
    return out


# ---------------------------------------------------------------------------- candidates


def _closed_singular(key: str) -> str:
    """ "winter storms" and "winter storm" are one answer (closed-class words only)."""
    words = key.split()
    last = words[-1]
    for suffix, repl in (("ies", "y"), ("ches", "ch"), ("shes", "sh"), ("oes", "o"), ("s", "")):
        if last.endswith(suffix) and not last.endswith("ss") and len(last) > len(suffix) + 2:
            return " ".join([*words[:-1], last[: -len(suffix)] + repl])
    return key


def _group(mentions: Sequence[Mention]) -> dict[str, Candidate]:
    by_key: dict[str, Candidate] = {}
    for m in mentions:
        key = normalise(m.text)
        if key and m.label.lower() in CLOSED_CLASSES:
            key = _closed_singular(key)
        if key:
            by_key.setdefault(key, Candidate(key)).mentions.append(m)
    return by_key


# Labels the small recogniser confuses with each other: "Alcaraz" (ORG) is "Carlos Alcaraz" (PERSON).
_CONFUSED = ({"PERSON", "ORG"}, {"GPE", "LOC"})


def _compatible(a: set[str], b: set[str]) -> bool:
    if a & b:
        return True
    return any(a & group and b & group for group in _CONFUSED)


def _merge_variants(by_key: dict[str, Candidate]) -> list[Candidate]:
    """Fold acronyms and short forms into the one full name they stand for: "CSTO" into
    "Collective Security Treaty Organization", "Alcaraz" into "Carlos Alcaraz", "Lions" into
    "Detroit Lions" (not "Korea" when both "North Korea" and "South Korea" are there)."""
    full_by_acronym: dict[str, list[Candidate]] = defaultdict(list)
    by_suffix: dict[tuple[str, ...], list[Candidate]] = defaultdict(list)
    for cand in by_key.values():
        for a in {acronym(m.text) for m in cand.mentions} - {""}:
            full_by_acronym[a].append(cand)
        tokens = tuple(cand.key.split())
        for k in range(1, len(tokens)):
            by_suffix[tokens[k:]].append(cand)
    merged: dict[str, Candidate] = {}
    for cand in sorted(by_key.values(), key=lambda c: len(c.key)):
        target: Candidate | None = None
        if any(_looks_like_acronym(m.text) for m in cand.mentions):
            options = {c.key: c for c in full_by_acronym.get(cand.key.replace(" ", ""), []) if c is not cand}
            if len(options) == 1:
                target = next(iter(options.values()))
        if target is None and not any(ch.isdigit() for ch in cand.key):
            labels = set(cand.labels)
            options = {
                c.key: c
                for c in by_suffix.get(tuple(cand.key.split()), [])
                if c is not cand and _compatible(labels, set(c.labels))
            }
            if len(options) == 1:
                target = next(iter(options.values()))
        while target is not None and target.key in merged:
            target = merged[target.key]
        if target is not None and target is not cand:
            target.mentions.extend(cand.mentions)
            merged[cand.key] = target
    return [c for c in by_key.values() if c.key not in merged]


def _display(cand: Candidate) -> str:
    """The most common way the articles write the candidate's full name, with its acronym when
    the articles use one too: "Collective Security Treaty Organization (CSTO)" (a reader may
    know either form)."""
    closed = any(m.label.lower() in CLOSED_CLASSES for m in cand.mentions)
    own = [m for m in cand.mentions if closed or normalise(m.text) == cand.key] or cand.mentions
    counts = Counter(surface(m.text) for m in own)
    best = max(counts.values())
    # Ties: the form of the most relevant mention.
    by_relevance = sorted(own, key=lambda m: -m.evidence.weight)
    shown = next((surface(m.text) for m in by_relevance if counts[surface(m.text)] == best), surface(own[0].text))
    initials = acronym(shown)
    if not initials:
        return shown
    short = next(
        (
            surface(m.text)
            for m in cand.mentions
            if _looks_like_acronym(m.text) and surface(m.text).replace(".", "").lower() == initials
        ),
        None,
    )
    return f"{shown} ({short})" if short and f"({short})" not in shown else shown


_NAMED_DAY_HEADS = frozenset("holiday celebration observance feast festival".split())
_PLACE_HEADS = frozenset("city town village county municipality capital suburb".split())
_REGION_AFTER = re.compile(r",\s+((?:[A-Z][a-z]+\s+){0,2}[A-Z][a-z]+)")


def _region_of(cand: Candidate) -> str | None:
    """The state or country the articles write after a place ("Plymouth, Massachusetts",
    "Oslo, Norway"): a bare "Plymouth" leaves the reader guessing."""
    if _is_country_or_state(cand.key):
        return None
    regions: Counter[str] = Counter()
    for m in cand.mentions:
        after = _REGION_AFTER.match(m.evidence.sentence.text, m.end)
        if after and _is_country_or_state(normalise(after.group(1))):
            regions[after.group(1)] += 1
    return regions.most_common(1)[0][0] if regions else None


def _stem(token: str) -> str:
    return token[:-1] if len(token) > 3 and token.endswith("s") and not token.endswith("ss") else token


@lru_cache(maxsize=256)
def _question_words(question: str) -> tuple[str, frozenset[str]]:
    cleaned = re.sub(r"'s\b", "", _PAREN.sub("", _clean(question)))
    tokens = [_stem(t) for t in _tokens(cleaned)]
    return " " + " ".join(tokens) + " ", frozenset(tokens)


def in_question(cand: Candidate, qtype: QuestionType, question: str) -> bool:
    """Does the question itself name this candidate (so it cannot be the answer)?"""
    joined, words = _question_words(question)
    tokens = [_stem(t) for t in cand.key.split()]
    if not tokens:
        return True
    key = " ".join(tokens)
    if f" {key} " in joined:
        return True
    content = [t for t in tokens if t not in _STOP]
    numeric = any(ch.isdigit() for ch in key)
    if content and not numeric and all(t in words for t in content):
        return True
    last = tokens[-1]
    if not numeric and len(last) > 3 and last in words and last not in _GENERIC_NAME_WORDS:
        return True  # "Kassym-Jomart Tokayev" when the question says "Tokayev"
    if (
        len(tokens) == 1
        and len(key) >= 4
        and not numeric
        and any(w.startswith(key) and len(w) - len(key) <= 3 for w in words)
    ):
        return True  # "Israel" when the question says "Israeli"
    initials = {acronym(m.text) for m in cand.mentions} - {""}
    if initials & words:
        return True
    question_acronyms = {normalise(e) for e in qtype.entities if _looks_like_acronym(e)}
    question_acronyms |= {t.lower().replace(".", "") for t in re.findall(r"\b[A-Z][A-Z.]{1,6}\b", question)}
    return len(key) > 1 and cand.key.replace(" ", "") in question_acronyms


_SAID_AFTER = re.compile(
    r"^[\s,]*(?:(?:has|had|have)\s+)?(?:said|says|told|added|wrote|tweeted|posted|noted|stated|explained|argued|"
    r"claimed|asserted|insisted|announced|warned|according)\b"
)
_SAID_BEFORE = re.compile(r"(?:\bsaid|\bsays|\btold|\baccording to|\bsaid on \w+)[\s,]*$")


def _is_attribution(m: Mention) -> bool:
    """Is the mention the speaker of a statement ("..., Tokayev said")?"""
    if m.label not in {"PERSON", "ORG"}:
        return False
    text = m.evidence.sentence.text
    return bool(_SAID_AFTER.match(text[m.end :]) or _SAID_BEFORE.search(text[: m.start]))


_QWH = frozenset("which what who whom whose where when how".split())


@lru_cache(maxsize=256)
def _slot_context(question: str, head: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """Content words just before the question's wh-phrase ("members of which cartel": members)
    and just after it ("which player won ...": won), as 5-letter stems."""
    words = _TERM.findall(question.lower())
    at = max((i for i, w in enumerate(words) if w in _QWH), default=None)
    if at is None:
        return frozenset(), frozenset()
    left = [w for w in words[max(0, at - 3) : at] if w not in _STOP and w not in _SLOT_STOP]
    j = at + 1
    if head:
        stem = head[:4]
        for k in range(at + 1, min(len(words), at + 6)):
            if words[k].startswith(stem):
                j = k + 1
                break
    right = [w for w in words[j : j + 3] if w not in _STOP and w not in _SLOT_STOP][:1]
    return frozenset(w[:5] for w in left[-1:]), frozenset(w[:5] for w in right)


_SLOT_STOP = frozenset(
    """recently reportedly allegedly currently now newly still also just this these that those week year month
    has have had did does do is are was were be been will would could can its their his her""".split()
)


def _in_slot(m: Mention, left: frozenset[str], right: frozenset[str]) -> bool:
    text = m.evidence.sentence.text.lower()
    before = {w[:5] for w in _TERM.findall(text[max(0, m.start - 40) : m.start])[-4:]}
    after = {w[:5] for w in _TERM.findall(text[m.end : m.end + 30])[:3]}
    return bool(left & before) or bool(right & after)


_NAMEABLE = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})


_TITLES = re.compile(
    r"(?:\b(?:president|vice president|sen|senator|rep|representative|gov|governor|mr|mrs|ms|dr|secretary|"
    r"minister|prime minister|chancellor|mayor|judge|justice|pope|king|queen|prince|princess|ceo|coach|"
    r"director|commissioner|spokesperson|spokesman|spokeswoman|chairman|lawmaker|attorney general)\.?\s+"
    r"(?:[A-Z][\w.'-]*\s+){0,2})$",
    re.IGNORECASE,
)


def _surely_person(cand: Candidate) -> bool:
    """Is the candidate plainly a person: mostly tagged PERSON and somewhere titled
    ("President Donald Trump", "Sen. ...")? Being quoted as a speaker is no sign: companies
    "say" things as often, and the small pipeline tags many of them PERSON ("..., Nestlé said")."""
    labels = cand.labels
    if not labels or labels.most_common(1)[0][0] != "PERSON":
        return False
    for m in cand.mentions:
        before = m.evidence.sentence.text[max(0, m.start - 40) : m.start]
        if _TITLES.search(before):
            return True
    return False


def _score(cand: Candidate, qtype: QuestionType, weights: Weights, question: str = "") -> float:
    # One vote per sentence: the best-fitting mention in it.
    per_sentence: dict[tuple[int, int], tuple[str, float]] = {}
    top = max(qtype.labels.values(), default=1.0)
    # A short form ("Alcaraz", tagged ORG) takes the label of the full name it was folded into
    # ("Carlos Alcaraz", PERSON) when the recogniser confuses the two.
    full = Counter(m.label for m in cand.mentions if normalise(m.text) == cand.key)
    full_label = full.most_common(1)[0][0] if full and len(cand.key.split()) > 1 else None
    for m in cand.mentions:
        label = m.label
        if (
            full_label
            and label != full_label
            and any({label, full_label} <= g for g in _CONFUSED)
            and normalise(m.text) != cand.key
        ):
            label = full_label
        prior = qtype.prior(label) if label in qtype.labels else (1.0 if qtype.closed_class else 0.0)
        if (
            weights.beside_head
            and prior > 0
            and qtype.wh in {"which", "what"}
            and qtype.head
            and m.label in _NAMEABLE
            and _beside_head(m.evidence.sentence.text, m.start, m.end, qtype.head)
        ):
            prior = max(prior, top) * (1.0 + weights.beside_head)
        if m.label == "DATE" and vague_date(m.text):
            # "this week" may answer "when", never "which holiday".
            prior *= weights.relative_date if qtype.wh in {"when", "how long", "how many"} else 0.0
        elif m.label == "DATE" and qtype.head in _NAMED_DAY_HEADS and any(ch.isdigit() for ch in m.text):
            prior = 0.0  # "which holiday": Diwali, not the "Monday, Oct. 20" it fell on
        if prior <= 0 or prior < weights.min_prior:
            continue
        if weights.slot and question and _in_slot(m, *_slot_context(question, qtype.head)):
            prior *= 1.0 + weights.slot
        if _is_attribution(m):
            prior *= weights.attribution
        if qtype.wh == "how many" and qtype.head and not _names_unit(m, qtype.head):
            prior *= weights.unit
        if weights.proximity:
            positions = _term_positions(m.evidence.sentence.text, qtype.terms)
            prior *= 1.0 - weights.proximity + weights.proximity * _proximity(m, positions)
        vote = m.evidence.weight * prior
        where = (m.evidence.passage, m.evidence.sentence.start)
        if vote > per_sentence.get(where, ("", -1.0))[1]:
            per_sentence[where] = (m.evidence.article_id, vote)
    per_article: dict[str, list[float]] = defaultdict(list)
    for article_id, vote in per_sentence.values():
        per_article[article_id].append(vote)
    support = 0.0
    for votes in per_article.values():
        votes.sort(reverse=True)
        support += votes[0] + weights.same_article * sum(votes[1:])
    return support * (1.0 + weights.agreement) ** (len(per_article) - 1)


def _occurrences(text: str, names: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of ``names`` (longest first, case-sensitive, whole words) in ``text``, never overlapping."""
    spans: list[tuple[int, int]] = []
    for name in names:
        at = text.find(name)
        while at >= 0:
            end = at + len(name)
            before = text[at - 1] if at else " "
            after = text[end] if end < len(text) else " "
            if (
                not (before.isalnum() or before in "-_")
                and not (after.isalnum() or after in "-_")
                and not any(a < end and at < b for a, b in spans)
            ):
                spans.append((at, end))
            at = text.find(name, at + 1)
    return spans


def _names(cand: Candidate) -> list[str]:
    """How the candidate is written (and its acronym), longest first."""
    names = {surface(m.text) for m in cand.mentions}
    names |= {acronym(n).upper() for n in names if len(acronym(n)) >= 3}
    return sorted((n for n in names if len(n) >= 2), key=len, reverse=True)


def _expand(cand: Candidate, evidence: Sequence[Evidence]) -> None:
    """Add the mentions the recogniser missed: the candidate's names (and acronym) written
    elsewhere in the evidence, case and word boundaries respected."""
    names = _names(cand)
    if not names:
        return
    label = cand.labels.most_common(1)[0][0]
    covered: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for m in cand.mentions:
        covered[(m.evidence.passage, m.evidence.sentence.start)].append((m.start, m.end))
    for ev in evidence:
        taken = covered[(ev.passage, ev.sentence.start)]
        for start, end in _occurrences(ev.sentence.text, names):
            if any(a < end and start < b for a, b in taken):
                continue
            taken.append((start, end))
            cand.mentions.append(Mention(ev, start, end, ev.sentence.text[start:end], label))


_NUMERIC_LABELS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"})


def _numeric(cand: Candidate) -> bool:
    return all(m.label in _NUMERIC_LABELS for m in cand.mentions)


def _headline_support(cand: Candidate, headlines: Sequence[tuple[str, float]]) -> float:
    names = _names(cand)
    return sum(weight for title, weight in headlines if names and _occurrences(title, names))


def _merge_with_head(candidates: list[Candidate], qtype: QuestionType) -> list[Candidate]:
    """ "Which city": "Gaza" and "Gaza City" are one answer, written in full."""
    if not qtype.head:
        return candidates
    by_key = {c.key: c for c in candidates}
    out = []
    for cand in candidates:
        longer = by_key.get(f"{cand.key} {qtype.head}")
        if longer is not None and longer is not cand:
            longer.mentions.extend(cand.mentions)
        else:
            out.append(cand)
    return out


def rank_candidates(
    question: str,
    qtype: QuestionType,
    mentions: Sequence[Mention],
    evidence: Sequence[Evidence] = (),
    weights: Weights = Weights(),
    headlines: Sequence[tuple[str, float]] = (),
    sources: Sequence[str] = (),
) -> list[Candidate]:
    """Candidates for the short answer, best first (empty when nothing fits).

    ``evidence``: the sentences the mentions came from, searched again for names the
    recogniser missed. ``headlines``: (title, passage weight) of each article the passages
    come from; a headline that names a candidate adds ``weights.title`` times its weight.
    ``sources``: the articles' sources (outlet names or hosts): outlets are never answers,
    unless the question asks for one ("which broadcaster").
    """
    wants_outlet = qtype.head in _OUTLET_HEADS
    gazetteer_head = qtype.head
    if qtype.head in _STATE_HEADS and _FOREIGN_STATE.search(question):
        gazetteer_head = None  # "which Indian state": the US states are no list for it
    candidates = _merge_with_head(_merge_variants(_group(mentions)), qtype)
    out = []
    regions: dict[str, str] = {}  # candidate key -> key of the region written after it
    for cand in candidates:
        if in_question(cand, qtype, question):
            continue
        if not wants_outlet and is_outlet(cand.key, sources):
            continue
        if gazetteer_head and not fits_gazetteer(cand.key, gazetteer_head):
            continue
        if qtype.labels and qtype.prior("PERSON") < 0.5 and _surely_person(cand):
            continue  # "President Donald Trump" is no cartel, however often the evidence names him
        _expand(cand, evidence)
        cand.score = _score(cand, qtype, weights, question)
        # A number in a headline says little about the question; a name there says a lot.
        if cand.score > 0 and weights.title and headlines and not _numeric(cand):
            cand.score += weights.title * _headline_support(cand, headlines)
        if cand.score <= 0:
            continue
        cand.display = _display(cand)
        region = _region_of(cand) if qtype.wh == "where" or qtype.head in _PLACE_HEADS else None
        if region:
            cand.display = f"{cand.display}, {region}"
            regions[cand.key] = normalise(region)
        out.append(cand)
    out = _fold_regions(out, regions)
    out.sort(key=lambda c: (-c.score, -len(c.articles), -max(m.evidence.weight for m in c.mentions), c.key))
    return out


def _fold_regions(candidates: list[Candidate], regions: dict[str, str]) -> list[Candidate]:
    """ "Plymouth, Massachusetts" also answers for "Massachusetts": the place and its region are
    one answer, written in full, with the support of both."""
    by_key = {c.key: c for c in candidates}
    folded: set[str] = set()
    for cand in candidates:
        if cand.key in folded or cand.key not in regions:
            continue
        region = by_key.get(regions[cand.key])
        if region is not None and region is not cand and region.key not in folded:
            cand.score += region.score
            cand.mentions.extend(region.mentions)
            folded.add(region.key)
    return [c for c in candidates if c.key not in folded]


_TWO = re.compile(r"\b(?:which|what)\s+two\b|\bwho\s+(?:are|were|will\s+be)\s+the\s+two\b", re.IGNORECASE)


def asks_for_two(question: str) -> bool:
    """ "Which two states ...?": one name would answer only half of it."""
    return _TWO.search(question) is not None


def join_pair(first: Candidate, second: Candidate) -> Candidate:
    """Two candidates as one answer ("Missouri and Texas"), in the order a sentence naming
    both gives them, else best first; supported by the mentions of both."""
    a, b = first, second
    for m in first.mentions:
        together = [
            n
            for n in second.mentions
            if n.evidence.passage == m.evidence.passage and n.evidence.sentence.start == m.evidence.sentence.start
        ]
        if together:
            if together[0].start < m.start:
                a, b = second, first
            break
    return Candidate(
        key=f"{a.key} and {b.key}",
        mentions=[*a.mentions, *b.mentions],
        score=a.score + b.score,
        display=f"{a.display} and {b.display}",
    )
