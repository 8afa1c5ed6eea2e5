"""llama.cpp's structured output: ``response_format={"type": "json_object", "schema": ...}`` becomes a grammar.

llama-cpp-python (in process, and its server ``python -m llama_cpp.server`` up to at least 0.3.36) does
not take OpenAI's ``{"type": "json_schema", ...}``; it takes a JSON schema under ``json_object`` and
compiles it to a GBNF grammar, so the model can write nothing but JSON of that shape. The grammar also
honours ``maxLength``/``maxItems``, which bound how long a small model may ramble inside a string.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def json_object_format(schema: type[BaseModel]) -> dict[str, Any]:
    """The ``response_format`` for ``schema`` in llama.cpp's dialect, every property required, none extra.

    A schema may declare ``grammar_bounds``, a class variable adding JSON-schema keywords per property
    (``{"short_answer": {"maxLength": 80}}``), for llama.cpp's grammar only: OpenAI's strict
    ``json_schema`` mode refuses some of them. On an optional property (``anyOf`` with null) they go on
    its non-null branch.
    """
    json_schema = schema.model_json_schema()
    properties: dict[str, Any] = json_schema.get("properties", {})
    bounds: dict[str, dict[str, int]] = getattr(schema, "grammar_bounds", {})
    for name, extra in bounds.items():
        prop = properties.get(name)
        if prop is None:
            continue
        branches = [b for b in prop.get("anyOf", []) if b.get("type") != "null"] or [prop]
        for branch in branches:
            branch.update(extra)
    # Required in order: the grammar writes properties in this order, so the JSON always has all of them.
    json_schema["required"] = list(properties)
    json_schema["additionalProperties"] = False
    return {"type": "json_object", "schema": json_schema}
