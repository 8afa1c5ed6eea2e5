"""The evaluation archive: a dataset's articles in collections of their own."""

from __future__ import annotations

from service.settings import ServiceSettings


def eval_settings(settings: ServiceSettings, dataset: str) -> ServiceSettings:
    """``settings`` with the collections of ``dataset``'s evaluation archive
    (``<prefix>-eval-<dataset>``): evaluation never mixes its articles into the newsroom's archive."""
    prefix = f"{settings.ingest.collection_prefix}-eval-{dataset}"
    return settings.model_copy(update={"ingest": settings.ingest.model_copy(update={"collection_prefix": prefix})})
