"""Words as the lexical index sees them: lower-cased, English stop words dropped, Snowball-stemmed.

The same rules as bm25s's ``tokenize(stopwords="en", stemmer=Stemmer("english"))``, which built
the index before (the stop words are Lucene's English list, ``stopwords_en.txt``): words of two
or more word characters, so "U.S." gives nothing and "COVID-19" gives "covid" and "19". Chunks
are stored as these tokens joined by spaces, and queries are read the same way, so both sides
of a match always agree. Sentence scoring and the citation check use the same words.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from pathlib import Path

import Stemmer

_WORD = re.compile(r"(?u)\b\w\w+\b")
STOP_WORDS = frozenset((Path(__file__).with_name("stopwords_en.txt")).read_text(encoding="utf-8").split())

# A PyStemmer object keeps a cache and is not safe to share between threads.
_local = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    stemmer: Stemmer.Stemmer | None = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("english")
    return stemmer


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Each text's stemmed word tokens, stop words removed (an empty list for a text with no words)."""
    stem = _stemmer().stemWords
    return [stem([w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS]) for text in texts]
