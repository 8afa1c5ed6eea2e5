"""A Slack message's text as a plain question (mentions of the bot removed, Slack's markup undone),
and whom it is addressed to."""

from __future__ import annotations

import re

_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+\|([^>]*)>")
_SPECIAL = re.compile(r"<!(?:subteam\^[A-Z0-9]+\|)?([^>|]+)(?:\|[^>]*)?>")
_LINK = re.compile(r"<((?:https?|mailto):[^>|]+)(?:\|([^>]*))?>")


def clean_question(text: str, bot_user_id: str | None = None) -> str:
    """The question in ``text``: ``<@BOT>`` mentions dropped, other markup turned back into words.

    ``<@U123>`` of someone else stays as ``@U123``, ``<#C1|news>`` becomes ``#news``, links become
    their label (or the address), ``&amp;`` ``&lt;`` ``&gt;`` are unescaped, whitespace is collapsed.
    """

    def mention(found: re.Match[str]) -> str:
        return "" if bot_user_id is None or found.group(1) == bot_user_id else f"@{found.group(1)}"

    text = _MENTION.sub(mention, text or "")
    text = _CHANNEL.sub(lambda m: f"#{m.group(1)}", text)
    text = _SPECIAL.sub(lambda m: f"@{m.group(1)}", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    text = " ".join(text.split())
    text = re.sub(r"\s+([,.?!;:])", r"\1", text)  # where a mention was cut out
    return text.lstrip(",:;- ").strip()


def addressed_to_people(text: str, bot_user_id: str | None) -> bool:
    """Whether the raw Slack ``text`` @mentions someone other than the bot, or a group (``@here``,
    ``@channel``, a user group): in a thread the bot answered, such a reply is for them, not for it."""
    if any(found.group(1) != bot_user_id for found in _MENTION.finditer(text or "")):
        return True
    return any(
        found.group(0).startswith("<!subteam^") or found.group(1) in {"here", "channel", "everyone"}
        for found in _SPECIAL.finditer(text or "")
    )
