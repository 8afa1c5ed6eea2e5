"""Messages that ask nothing: thanks, assent, emoji ("thanks!", "ok, great", "👍").

In a conversation people say thanks. Searched as a question, "thanks!" became "were the
peacekeepers sent — thanks?" and got "The archive holds nothing that answers this question".
A conversation replies to it without searching (``Chat``); in a Slack channel the bot stays quiet.
Anything with a question mark, or any other words, is still a question: only what surely asks
nothing is taken for an acknowledgement.
"""

from __future__ import annotations

import re

__all__ = ["asks_nothing"]

_EMOJI_CODE = re.compile(r":[a-z0-9_+'-]+:")  # Slack writes emoji as :+1:, :pray:, :white_check_mark:
_ACKNOWLEDGEMENT = re.compile(
    r"(?:thanks?|thank\s+you|thx|ty|tysm|cheers|much\s+appreciated|appreciated?|ok|okay|kk?|great|cool|nice"
    r"|perfect|awesome|excellent|brilliant|lovely|amazing|helpful|got\s+it|gotcha|makes\s+sense|good\s+to\s+know"
    r"|sounds\s+good|will\s+do|noted|all\s+good|that'?s\s+(?:great|helpful|perfect|it)|so\s+much|a\s+lot"
    r"|very\s+much|again|lol|haha|wow|yes|yeah|yep|no|nope)"
)
_ONLY_ACKNOWLEDGEMENTS = re.compile(rf"{_ACKNOWLEDGEMENT.pattern}(?:\s+{_ACKNOWLEDGEMENT.pattern})*")


def asks_nothing(question: str) -> bool:
    """Whether a cleaned message is only thanks, assent or emoji ("thanks!", "ok, great 👍", ":pray:")."""
    if "?" in question or not question.strip():
        return False  # an empty message gets the bot's help
    words = _EMOJI_CODE.sub(" ", question.lower())
    words = " ".join(re.sub(r"[^\w\s']", " ", words).split())
    return not words or bool(_ONLY_ACKNOWLEDGEMENTS.fullmatch(words))
