"""Messages meant for people, not for the bot: left unanswered.

Once the bot has answered in a channel thread, replies there are read as follow-ups without a new
@mention. But colleagues also talk to each other in that thread, and to the bot in passing: a
reply that @mentions someone else (or ``@here``) is addressed to them, and a bare "thanks!", "ok"
or 👍 asks nothing. Searching the archive for those would post "The archive holds nothing that
answers this question" under a colleague's thanks, so the bot stays quiet. Anything with a
question mark, or any other words, is still answered: silence is kept for what surely asks nothing.
"""

from __future__ import annotations

import re

__all__ = ["addressed_to_people", "asks_nothing"]

_USER_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_GROUP_MENTION = re.compile(r"<!(?:here|channel|everyone|subteam\^)")
_EMOJI_CODE = re.compile(r":[a-z0-9_+'-]+:")  # Slack writes emoji as :+1:, :pray:, :white_check_mark:
_ACKNOWLEDGEMENT = re.compile(
    r"(?:thanks?|thank\s+you|thx|ty|tysm|cheers|much\s+appreciated|appreciated?|ok|okay|kk?|great|cool|nice"
    r"|perfect|awesome|excellent|brilliant|lovely|amazing|helpful|got\s+it|gotcha|makes\s+sense|good\s+to\s+know"
    r"|sounds\s+good|will\s+do|noted|all\s+good|that'?s\s+(?:great|helpful|perfect|it)|so\s+much|a\s+lot"
    r"|very\s+much|again|lol|haha|wow|yes|yeah|yep|no|nope)"
)
_ONLY_ACKNOWLEDGEMENTS = re.compile(rf"{_ACKNOWLEDGEMENT.pattern}(?:\s+{_ACKNOWLEDGEMENT.pattern})*")


def addressed_to_people(text: str, bot_user_id: str | None) -> bool:
    """Whether the raw Slack ``text`` @mentions someone other than the bot, or a group (``@here``)."""
    if _GROUP_MENTION.search(text):
        return True
    return any(found.group(1) != bot_user_id for found in _USER_MENTION.finditer(text))


def asks_nothing(question: str) -> bool:
    """Whether a cleaned message is only thanks, assent or emoji ("thanks!", "ok, great 👍", ":pray:")."""
    if "?" in question or not question.strip():
        return False  # an empty message gets the bot's help
    words = _EMOJI_CODE.sub(" ", question.lower())
    words = " ".join(re.sub(r"[^\w\s']", " ", words).split())
    return not words or bool(_ONLY_ACKNOWLEDGEMENTS.fullmatch(words))
