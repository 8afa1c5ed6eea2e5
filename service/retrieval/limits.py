"""How many passages a question or a search may ask for: one range for the command line and HTTP.

More than 50 passages would not make an answer better (the answerers read the best sentences of
the first few) and would make each ask slower for every other user of a shared server.
"""

from __future__ import annotations

__all__ = ["DEFAULT_K_ASK", "DEFAULT_K_SEARCH", "K_MAX", "K_MIN"]

K_MIN, K_MAX = 1, 50
DEFAULT_K_ASK = 8
DEFAULT_K_SEARCH = 5
