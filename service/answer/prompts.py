"""Prompts live in ``prompts/`` as plain files and are loaded at run time as LangChain templates.

A chat prompt ``NAME`` is two files: ``prompts/NAME_system.txt`` and ``prompts/NAME_user.txt``
(f-string templates: ``{question}``, ``{evidence}``). ``prompts/`` sits next to the packages at the
project root (``service/answer/prompts.py`` -> ``parents[2] / "prompts"``), which is also where an
editable install (``pip install -e .``) resolves it; the ``prompts_dir`` setting
(``NEWSDESK_PROMPTS_DIR``) points elsewhere, for example in an image that copies ``prompts/``.

Evidence is fenced as data (:mod:`service.answer.reader_context` writes the reader's): every ``<`` and
``>`` inside it goes through :func:`neutralise`, so no article (and no question) can close a fence or
open a new one.
"""

from __future__ import annotations

from pathlib import Path

from langchain_core.prompts import ChatPromptTemplate

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"

# Look-alikes that read the same to a model but can never form a tag.
_NEUTRAL = str.maketrans({"<": "\u2039", ">": "\u203a"})
_NEUTRAL_ATTR = str.maketrans({"<": "\u2039", ">": "\u203a", '"': "'", "\n": " ", "\r": " ", "\t": " "})


def load_prompt(name: str, directory: Path | None = None) -> ChatPromptTemplate:
    """The chat prompt ``name``: a system message from ``NAME_system.txt``, a user message from ``NAME_user.txt``.

    Files are read on every call, so an edited prompt takes effect for the next answerer built.
    """
    base = directory or PROMPTS_DIR
    parts: list[tuple[str, str]] = []
    for role, suffix in (("system", "system"), ("human", "user")):
        path = base / f"{name}_{suffix}.txt"
        try:
            parts.append((role, path.read_text(encoding="utf-8").strip()))
        except FileNotFoundError:
            raise FileNotFoundError(
                f"prompt file {path} not found (prompts are read from {base}; set NEWSDESK_PROMPTS_DIR to move them)"
            ) from None
    return ChatPromptTemplate.from_messages(parts, template_format="f-string")


def neutralise(text: str) -> str:
    """``text`` with ``<`` and ``>`` replaced by look-alikes (‹ ›), so it cannot open or close a tag."""
    return text.translate(_NEUTRAL)


def neutralise_attribute(value: str) -> str:
    """``value`` fit for a quoted attribute: no tag brackets, no double quote, one line, at most 120 characters."""
    return value.translate(_NEUTRAL_ATTR).strip()[:120]
