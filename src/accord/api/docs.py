"""``/api/v1/docs``: Swagger UI from the copy django-ninja ships, served by us.

ninja's own page loads Swagger UI from a CDN unless ``ninja`` is an
installed app; Accord must work with no internet, so the page and its four
asset files are served from here.
"""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import Swagger

from accord.web.security import ADMIN_POLICY

if TYPE_CHECKING:
    from ninja import NinjaAPI

ASSETS = Path(ninja.__file__).parent / "static" / "ninja"
ASSET_NAMES = frozenset(
    {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.png"}
)


class OfflineSwagger(Swagger):
    def get_openapi_url(self, api: NinjaAPI, path_params: dict[str, Any]) -> str:
        return reverse(f"{api.urls_namespace}:openapi-json", kwargs=path_params)

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {"swagger_settings": json.dumps(self.settings), "api": api}
        response = render(request, "api/docs.html", context)
        # Swagger UI sets inline style attributes, as the admin does.
        response.headers["Content-Security-Policy"] = ADMIN_POLICY
        return response


def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    if name not in ASSET_NAMES:
        raise Http404(name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse((ASSETS / name).open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response
