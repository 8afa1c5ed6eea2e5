"""``GET /docs``: the Swagger UI page, with its script, stylesheet and icon served by this server.

FastAPI's own ``/docs`` page loads Swagger UI from a CDN (and its icon from fastapi.tiangolo.com),
so on a machine or network without internet access the page stays blank. Here the same page
(``fastapi.openapi.docs.get_swagger_ui_html``) points at copies of those files that the
``fastapi-offline`` package ships (a current Swagger UI 5, which can render the OpenAPI 3.1 that
FastAPI writes); they are mounted under ``/docs/assets``. Nothing on the page comes from another host.

Access is what FastAPI's page had: ``/docs`` and its assets are as open as ``/openapi.json``, which
they only display. URLs in the page are prefixed with the ASGI ``root_path``, the way FastAPI's own
docs route does it, so the page also works behind a proxy that serves the app under a path.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_PATH = "/docs"
ASSETS_PATH = "/docs/assets"
# The files of Swagger UI's dist that the page needs, as fastapi-offline names them in its static folder.
SCRIPT, STYLESHEET, ICON = "swagger-ui-bundle.js", "swagger-ui.css", "favicon.png"


def assets_dir() -> Path:
    """The folder of ``fastapi-offline`` holding Swagger UI's files (checked: a missing one fails at start)."""
    folder = Path(str(files("fastapi_offline") / "static"))
    missing = [name for name in (SCRIPT, STYLESHEET, ICON) if not (folder / name).is_file()]
    if missing:
        raise RuntimeError(
            f"fastapi-offline no longer ships {', '.join(missing)} in {folder}: the /docs page cannot be served"
        )
    return folder


def install_docs(app: FastAPI) -> None:
    """Serve ``/docs`` and its assets from this server; create ``app`` with ``docs_url=None``.

    Nothing is added when the app has no OpenAPI document to show.
    """
    if app.openapi_url is None:
        return
    openapi_url = app.openapi_url
    app.mount(ASSETS_PATH, StaticFiles(directory=assets_dir()), name="docs-assets")

    @app.get(DOCS_PATH, include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = str(request.scope.get("root_path", "")).rstrip("/")
        return get_swagger_ui_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{root}{ASSETS_PATH}/{SCRIPT}",
            swagger_css_url=f"{root}{ASSETS_PATH}/{STYLESHEET}",
            swagger_favicon_url=f"{root}{ASSETS_PATH}/{ICON}",
            swagger_ui_parameters=app.swagger_ui_parameters,
        )
