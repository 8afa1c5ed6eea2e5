"""newsdesk over HTTP: the FastAPI app (``create_app``), its routes, pages, access rules and limits."""

from service.http.app import create_app

__all__ = ["create_app"]
