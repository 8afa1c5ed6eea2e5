"""Whether a short answer only repeats its question, or what its conversation already said.

No question is answered by a name it gives itself ("who will succeed Tim Cook?" → "Tim Cook"),
and a follow-up asks for something new. A short answer that is an earlier turn's answer ("three",
then "how many in january?" → "three") or a name of the question searched ("who did Jannik
Sinner beat?" → "Jannik Sinner") answers the earlier question again. The extractive answerer
passes over such a candidate to the next one; an answer that still repeats (a reader's) is
declined by the ask flow rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from service.answer.names import tokens

# "Oxford's word of the year" says "Oxford".
_POSSESSIVE = re.compile(r"['’]s\b")


def repeats(short_answer: str, already_said: Sequence[str]) -> bool:
    """Whether ``short_answer`` occurs in (or holds) one of ``already_said``, as whole words, ignoring case."""
    mine = _words(short_answer)
    if not mine:
        return False
    return any(_within(mine, said) or _within(said, mine) for said in map(_words, already_said) if said)


def _words(text: str) -> list[str]:
    return tokens(_POSSESSIVE.sub("", text))


def _within(part: list[str], whole: list[str]) -> bool:
    n = len(part)
    return any(whole[i : i + n] == part for i in range(len(whole) - n + 1))
