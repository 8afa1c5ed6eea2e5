"""Answers to "how long" that are no length of time: "until the situation is fully stable".

"How long will the peacekeepers stay?" is often answered by a condition, which the recogniser
tags as nothing. An "until ..." phrase in an evidence sentence is offered as a candidate beside
the dates and quantities, and competes with them on the same support (its own label, so that
the rule that a date without digits is vague does not apply to it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from service.answer.mentions import Evidence, Mention

# The label of these mentions; "how long" questions accept it (question_types._HOW_LONG).
UNTIL = "UNTIL"
# "until" and the clause it opens, up to the next punctuation; at least two words of it.
_UNTIL = re.compile(r"\b(?:until|till)\s+(?:[\w'’-]+\s+){1,11}[\w'’-]+", re.IGNORECASE)


def until_mentions(evidence: Sequence[Evidence]) -> list[Mention]:
    """Each "until ..." phrase of the evidence sentences, as an ``UNTIL`` mention."""
    out = []
    for ev in evidence:
        for found in _UNTIL.finditer(ev.sentence.text):
            out.append(Mention(ev, found.start(), found.end(), found.group(0), UNTIL))
    return out
