"""What reading a question in its conversation gives: the standalone question, how it was read, and
what retrieval carries along. Shared by every follow-up resolver (heuristic and condense)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from service.conversation.models import Turn

Form = Literal["standalone", "reset", "pronoun", "what_about", "fragment", "continued", "rewritten"]

# The conversation's topic, carried after a follow-up's rewrite: "who did Carlos Alcaraz beat?
# (context: Carlos Alcaraz won the us open men's final)".
_CONTEXT = " (context: "
_CONTEXT_AT_END = re.compile(r"\s*\(context: .*\)\s*$")
_RESET = re.compile(
    r"^\s*(?:new\s+(?:question|topic|conversation)|start\s+(?:over|again|afresh)|reset|forget\s+(?:that|it|this))\b[\s:,.!;-]*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Resolution:
    """How a question was read in its conversation."""

    standalone: str
    form: Form
    # Articles the earlier turns cited, most recent first: retrieval weighs them for follow-ups.
    context_articles: tuple[str, ...] = ()
    # The conversation's topic ("Carlos Alcaraz won the us open men's final"), searched along with
    # ``standalone`` when the rewrite does not name it already (None: nothing to add).
    topic: str | None = None

    @property
    def searched(self) -> str:
        """What retrieval searches for, as users are shown it: the rewrite, then the topic."""
        return f"{self.standalone}{_CONTEXT}{self.topic})" if self.topic else self.standalone

    @property
    def follow_up(self) -> bool:
        """Whether the earlier turns were used."""
        return self.form not in ("standalone", "reset")


def cited_before(history: Sequence[Turn], turns: int = 3) -> tuple[str, ...]:
    """Articles the last ``turns`` turns cited, most recent first, once each: retrieval weighs them."""
    return tuple(dict.fromkeys(a for turn in reversed(history[-turns:]) for a in turn.cited_articles))


def is_reset(question: str) -> bool:
    """Whether ``question`` asks to start afresh ("new question", "start over", "reset")."""
    return bool(_RESET.match(question))


def without_reset(question: str) -> str:
    """``question`` with its reset words removed ("new question: who won?" → "who won?")."""
    return _RESET.sub("", question, count=1).strip()


def without_context(standalone: str) -> str:
    """A rewrite without the topic carried after it ("(context: ...)")."""
    return _CONTEXT_AT_END.sub("", standalone)
