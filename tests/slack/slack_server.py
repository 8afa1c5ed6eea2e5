"""The app the Slack tests run under a real uvicorn: ``create_app`` with the Slack router.

Once ``service.http.app.create_app`` includes ``slack_routes`` itself, this adds nothing and the
tests exercise exactly what ``newsdesk serve`` runs.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI
from starlette.routing import NoMatchFound

from service.http.app import create_app
from service.slack import slack_routes


def has_slack_routes(app: FastAPI) -> bool:
    """Whether ``app`` already serves ``POST /slack/events`` (looked up by route name: included
    routers are not flattened into ``app.routes`` by every FastAPI version)."""
    try:
        app.url_path_for("slack_events")
    except NoMatchFound:
        return False
    return True


def make_app() -> FastAPI:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("service").setLevel(logging.INFO)
    app = create_app()
    if not has_slack_routes(app):
        app.include_router(slack_routes(app.state.runtime))
    return app
