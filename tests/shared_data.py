"""Where the tests read the seed article and the evaluation datasets (never copying them).

``../shared`` beside the checkout, as on the machines newsdesk is built on; a checkout elsewhere
names the folder with ``NEWSDESK_SHARED_DIR``.
"""

from __future__ import annotations

import os
from pathlib import Path

SHARED = Path(os.environ.get("NEWSDESK_SHARED_DIR") or Path(__file__).resolve().parents[2] / "shared")
SEED = SHARED / "seed" / "kazakhstan-csto.txt"
