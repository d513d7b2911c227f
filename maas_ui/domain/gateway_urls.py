"""Where the gateway answers: the per-model base URL the Assets tab shows, under a public base URL.

Each model answers under the path of its endpoint URL (e.g. '/gpt-oss-20b/v1'), mounted on the
gateway's public base URL (the console's own address unless configured), as well as under the
shared '/v1'. Pure functions.
"""

from __future__ import annotations

from urllib.parse import urlparse

from maas_ui.domain.policies import slugify

SHARED_BASE_PATH = "/v1"


def model_base_path(endpoint_url: str, name: str) -> str:
    """The model's own base path, always ending in '/v1': from its endpoint URL, else from its name."""
    path = urlparse(endpoint_url or "").path.rstrip("/")
    if not path or path == SHARED_BASE_PATH:
        path = f"/{slugify(name, 253) or 'model'}/v1"
    elif not path.endswith("/v1"):
        path += "/v1"
    return path


def public_base_url(configured: str, request_origin: str) -> str:
    """The configured public base URL, else the origin the console was reached at."""
    return (configured or request_origin or "").rstrip("/")


def model_endpoint(base_url: str, endpoint_url: str, name: str) -> str:
    """'http://localhost:3000/gpt-oss-20b/v1': what a client puts as its base URL."""
    return base_url.rstrip("/") + model_base_path(endpoint_url, name)
