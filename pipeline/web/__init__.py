"""``vanban serve``: a local, read-only web app over the database (Starlette + Jinja2, served by uvicorn).

Every page reads through :mod:`pipeline.report`.  The database is never held open: each request opens a
snapshot read-only and closes it, and the snapshot is refreshed from the database whenever the file
changes and a run is not writing, so ``vanban run`` can load files while the app is up, and the page
says when the data changed.
"""
from .app import create_app, serve

__all__ = ["create_app", "serve"]
