"""Which messages ask nothing (thanks, assent, emoji), and which Slack replies are addressed to someone else."""

from __future__ import annotations

import pytest

from service.conversation.acknowledgements import asks_nothing
from service.slack.text import addressed_to_people

BOT = "U0BOT"


@pytest.mark.parametrize(
    "text",
    ["thanks!", "Thank you so much.", "ok", "OK, great, thanks", "got it :+1:", "👍", ":pray:", "cheers", "nope"],
)
def test_thanks_assent_and_emoji_ask_nothing(text: str) -> None:
    assert asks_nothing(text)


@pytest.mark.parametrize(
    "text",
    [
        "",  # an empty mention gets the bot's help instead
        "thanks, and how long will they stay?",
        "ok?",
        "great wall of china",
        "thanks for what?",
        "new question",
        "and in 2023",
        "who sent peacekeepers",
        "Thank you Tokayev quote",
    ],
)
def test_anything_else_is_still_answered(text: str) -> None:
    assert not asks_nothing(text)


def test_a_reply_mentioning_a_colleague_or_a_group_is_for_people() -> None:
    assert addressed_to_people("<@U0ALICE> can you check this?", BOT)
    assert addressed_to_people("<@U0ALICE|alice> see above", BOT)
    assert addressed_to_people("<!here> the answer is in", BOT)
    assert addressed_to_people("<!subteam^S0DESK|@desk> look", BOT)
    assert not addressed_to_people(f"<@{BOT}> how long will they stay?", BOT)
    assert not addressed_to_people("how long will they stay?", BOT)
