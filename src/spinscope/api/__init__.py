"""The web app and HTTP API (``spinscope serve``): FastAPI over the same library calls as the CLI.

Needs the ``[web]`` extra (fastapi, uvicorn, python-multipart).
"""

from spinscope.api.app import create_app

__all__ = ["create_app"]
