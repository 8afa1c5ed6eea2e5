"""Rule-based, news-aware sentence splitting with exact character spans.

``sentence_spans(text)`` returns ``(start, end)`` pairs such that ``text[start:end]`` is one
sentence with no leading or trailing whitespace; together the spans cover every
non-whitespace character of ``text``, in order, without overlapping.

One left-to-right pass of a compiled regex finds the candidate boundaries (sentence
punctuation followed by whitespace, line breaks, paragraph breaks); a few constant-time
checks on the words either side of each candidate decide it. The whole thing is O(n), so
the answering side can afford to split every passage it scores.

The rules, in short:

* A blank line (paragraph break) always ends a sentence.
* A single line break ends a sentence after sentence punctuation (the normal rules) and
  after a line without any, such as a headline, a byline or a dateline - unless the next
  line starts in lower case (a continuation), or the text is hard-wrapped (many lines
  continue in lower case), where only bullets and short heading-like lines break.
* ``.`` ``!`` ``?`` and ``…`` end a sentence when followed by whitespace and a word that
  does not start in lower case; closing quotes and brackets after them stay with the
  sentence (``He said "no." Then`` splits after the closing quote).
* A full stop does not end a sentence after a title (``Mr.``, ``Gen.``, ``Sen.``), after
  ``No.``/``Jan.``/``p.`` before a number, after ``vs.``/``e.g.``/``i.e.``. After words that
  may also end a sentence - ``U.S.``, ``Inc.``, ``Jr.``, ``etc.``, ``a.m.``, initials like the
  ``F.`` of ``John F. Kennedy``, AP state abbreviations - it ends one only when the next word
  is a typical sentence opener (``The``, ``He``, ``But`` ...).
* Decimals (``3.5``), dotted names (``example.com``) and ellipses followed by lower case or
  standing between spaces (``we will ... win``) never split.
* CJK full stops (``。！？``) end a sentence without needing whitespace.
"""

from __future__ import annotations

import re

__all__ = ["sentence_spans"]

# Line breaks: \r\n counts as one. Form feed and vertical tab separate lines too.
_LB = r"(?:\r\n|[\n\r\x0b\x0c\x85\u2028\u2029])"
# Whitespace that is not a line break.
_HS = r"[^\S\n\r\x0b\x0c\x85\u2028\u2029]"

_CLOSERS = "\"'\u201d\u2019\u00bb\u203a)\\]}\u300d\u300f\uff09\u3011\u300b\u3009"
_OPENERS = "\"'\u201c\u2018\u00ab\u2039(\\[{\u00bf\u00a1\u300c\u300e"
_TERMINALS = ".!?\u2026\u203c\u2047\u2048\u2049\u061f\u0964\u0965\u06d4"

_SCAN = re.compile(
    rf"(?P<para>{_LB}(?:{_HS}*{_LB})+)"  # a blank line: always a boundary
    rf"|(?P<nl>{_LB})"  # a single line break: decided below
    rf"|(?P<cjk>[\u3002\uff01\uff1f\uff61]++[{_CLOSERS}]*+)"  # CJK full stops need no space after
    # Western punctuation, then whitespace. The look-behind starts a match only at the start of
    # a run of punctuation, so a long run is scanned once (linear time), not once per position.
    rf"|(?<![{_TERMINALS}])(?P<punct>[{_TERMINALS}]++[{_CLOSERS}]*+)(?=\s)"
)

# The word after a candidate: skip whitespace and opening quotes/brackets, then the word itself.
_NEXT_WORD = re.compile(rf"\s*[{_OPENERS}]*([^\s{_OPENERS}{_CLOSERS}.,;:!?\u2026]*)")
# What a line may start with to be a list item.
_BULLET = re.compile(r"(?:[-*\u2022\u00b7\u2013\u2014\u25aa\u25cf>]|\d{1,3}[.)])\s")

# Abbreviations after which a full stop never ends a sentence (compared lower-cased).
_TITLES = frozenset(
    """mr mrs ms mmes messrs dr prof gen sen sens rep reps gov lt col capt cpt sgt maj adm cmdr
    cmdt brig rev hon pres supt det insp atty fr msgr sra srta mme mlle mt ft pvt cpl gens
    vs v e.g i.e cf viz approx ca esp incl excl dept""".split()
)
# Before a number these never end a sentence: "No. 5", "Jan. 6", "p. 12", "Art. 3".
_BEFORE_NUMBER = frozenset("no nos nr num vol vols p pp art arts fig figs ch chap sec secs para op tel ext".split())
_MONTHS = frozenset("Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split())
# May end a sentence; do so only when a typical sentence opener follows (compared lower-cased).
_AMBIGUOUS = frozenset(
    """etc inc corp ltd co cos llc llp plc bros jr sr esq al st ave blvd rd hwy univ assn est
    a.m p.m u.s u.k u.n e.u d.c u.s.a n.y l.a ph.d m.d b.a m.a d.c s.a a.g n.v""".split()
)
# AP-style US state abbreviations (case-sensitive: several are also ordinary words).
_STATES = frozenset(
    """Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss Mo
    Mont Neb Nev Okla Ore Pa Tenn Tex Va Vt Wash Wis Wyo""".split()
)
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]\Z")
# Words that typically open a sentence: after an ambiguous abbreviation they make it final.
_OPENERS_WORDS = frozenset(
    """the a an he she it they we i you his her its their our my your this that these those there
    then but and or so yet still also however meanwhile when while after before as if in on at
    for by from with without since because although though despite during under over according
    some many most several few all both each no not none one two three four five six seven eight
    nine ten who what where why how which officials police authorities its it's he's she's they're
    we're i'm there's that's here what's last earlier later now today yesterday tomorrow""".split()
)

_WORD_WINDOW = 40
_LINE_BREAK_CHARS = "\n\r\x0b\x0c\x85\u2028\u2029"


def _word_before(text: str, end: int) -> str:
    """The whitespace-delimited word ending at ``end`` ('' if a long one or none)."""
    start = max(0, end - _WORD_WINDOW)
    segment = text[start:end]
    if not segment or segment[-1].isspace():
        return ""
    parts = segment.rsplit(None, 1)
    if len(parts) == 1 and start > 0 and not text[start - 1].isspace():
        return ""  # longer than the window: no abbreviation is that long
    return parts[-1]


def _full_stop_ends_sentence(text: str, m_start: int, run: str, has_closer: bool, next_word: str) -> bool:
    """Decide a candidate that is a plain full stop (or an ellipsis) followed by whitespace."""
    first = next_word[:1]
    if first and first.islower():
        return False
    if run != ".":  # an ellipsis ("...", "…", ".." ...)
        if has_closer:
            return True
        before = text[m_start - 1 : m_start]
        # " ... " marks an elision inside a sentence; "word... The" ends one.
        return bool(before) and not before.isspace() and bool(first) and first.isupper()
    if has_closer:  # 'He said "no." Then' - the quote closes the sentence
        return True
    raw = _word_before(text, m_start)
    word = raw.lstrip(_OPENERS)
    if not word:
        return True
    if word[-1] in _CLOSERS:  # "(Reuters)." / "'word'."
        return True
    if len(word) == 1 and word.isupper():  # an initial: "John F. Kennedy"
        return next_word.lower() in _OPENERS_WORDS
    if len(word) <= 3 and word.isdigit() and _at_line_start(text, m_start - len(raw)):
        return False  # a list number: "1. Snowstorm"
    lower = word.lower()
    if lower in _TITLES:
        return False
    if lower in _BEFORE_NUMBER or word in _MONTHS:
        if first.isdigit():
            return False
        return word not in _MONTHS or next_word.lower() in _OPENERS_WORDS
    if lower in _AMBIGUOUS or word in _STATES or _DOTTED.match(word):
        return next_word.lower() in _OPENERS_WORDS
    return True


def _at_line_start(text: str, pos: int) -> bool:
    """Is ``pos`` the first non-blank position of its line?"""
    while pos > 0 and text[pos - 1] in " \t":
        pos -= 1
    return pos == 0 or text[pos - 1] in _LINE_BREAK_CHARS


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``: ``text[s:e]`` is one sentence, trimmed."""
    if not text:
        return []
    matches = list(_SCAN.finditer(text))

    # Hard-wrapped text continues many lines in lower case; there a line break without
    # punctuation is a continuation, not a headline.
    single_breaks = lower_next = 0
    widest = 0
    line_start = 0
    for m in matches:
        kind = m.lastgroup
        if kind == "nl":
            single_breaks += 1
            nxt = text[m.end() : m.end() + 1]
            if nxt.islower():
                lower_next += 1
            widest = max(widest, m.start() - line_start)
            line_start = m.end()
        elif kind == "para":
            line_start = m.end()
    wrapped = lower_next >= 2 and lower_next * 4 >= single_breaks

    cuts: list[int] = []
    line_start = 0
    for m in matches:
        kind = m.lastgroup
        if kind == "para":
            cuts.append(m.start())
            line_start = m.end()
        elif kind == "nl":
            if _line_break_ends_sentence(text, line_start, m.start(), m.end(), wrapped, widest):
                cuts.append(m.start())
            line_start = m.end()
        elif kind == "cjk":
            cuts.append(m.end())
        else:
            run = m.group("punct")
            core = run.rstrip(_CLOSERS)
            has_closer = len(core) != len(run)
            nw = _NEXT_WORD.match(text, m.end())
            next_word = nw.group(1) if nw else ""
            if "!" in core or "?" in core or not set(core) <= {".", "\u2026"}:
                first = next_word[:1]
                ends = not (first and first.islower())
            else:
                ends = _full_stop_ends_sentence(text, m.start(), core, has_closer, next_word)
            if ends:
                cuts.append(m.end())
    cuts.append(len(text))

    spans: list[tuple[int, int]] = []
    prev = 0
    for cut in cuts:
        if cut <= prev:
            continue
        segment = text[prev:cut]
        stripped = segment.strip()
        if stripped:
            start = prev + (len(segment) - len(segment.lstrip()))
            spans.append((start, start + len(stripped)))
        prev = cut
    return spans


def _line_break_ends_sentence(
    text: str, line_start: int, lb_start: int, lb_end: int, wrapped: bool, widest: int
) -> bool:
    """Does a single line break (without sentence punctuation before it) end a sentence?"""
    line = text[line_start:lb_start].rstrip()
    if not line:
        return True
    nxt = text[lb_end : lb_end + 64].lstrip()
    if not nxt:
        return True
    if _BULLET.match(nxt):
        return True
    if nxt[0].islower():
        return False
    if line[-1] in _TERMINALS or line[-1] in _CLOSERS:
        return False  # the punctuation rule has decided ("Mr.\nSmith" stays together)
    if line[-1] in ",;-\u2013\u2014(/&" or line.endswith((" and", " or")):
        return False
    if not wrapped:
        return True
    # Hard-wrapped: only a clearly short line (a heading, a byline) stands on its own.
    return len(line.strip()) < widest * 0.6
