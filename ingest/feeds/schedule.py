"""When a feed is polled: ``--every`` intervals, and exponential backoff after errors."""

from __future__ import annotations

import re

__all__ = ["IntervalError", "backoff_delay", "parse_every"]

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d)?\s*$", re.IGNORECASE)
_UNIT_S = {"s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}
# 2**40 intervals is beyond any cap; stops the float growing without bound.
_MAX_DOUBLINGS = 40


class IntervalError(ValueError):
    """An ``--every`` value that is not an interval, or shorter than allowed."""


def parse_every(text: str, minimum_s: float) -> float:
    """Seconds of an interval such as ``15m``, ``90s``, ``1h``, ``1d`` or plain seconds (``30``).

    Raises ``IntervalError`` for anything else, and for intervals under ``minimum_s``
    (``NEWSDESK_FEED_MIN_EVERY_S``: polling a publisher every second is not polite).
    """
    match = _INTERVAL.match(text)
    if not match:
        raise IntervalError(f"{text!r} is not an interval: use e.g. 90s, 15m, 1h or 1d")
    seconds = float(match.group(1)) * _UNIT_S[(match.group(2) or "s").lower()]
    if seconds < minimum_s:
        raise IntervalError(
            f"{text!r} is shorter than the minimum interval of {minimum_s:g}s (NEWSDESK_FEED_MIN_EVERY_S)"
        )
    return seconds


def backoff_delay(every_s: float, consecutive_errors: int, cap_s: float) -> float:
    """Seconds to wait after the ``consecutive_errors``-th error in a row (1 for the first).

    Doubles from the feed's interval (2x, 4x, 8x ...), never beyond ``cap_s``, and never sooner than
    the feed's own interval, so an error never makes a feed polled more often.
    """
    doublings = min(max(consecutive_errors, 0), _MAX_DOUBLINGS)
    return max(every_s, min(cap_s, every_s * 2.0**doublings))
