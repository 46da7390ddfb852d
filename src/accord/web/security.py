"""Security headers every response carries.

The Content-Security-Policy allows scripts and styles only from Accord's own
static files: no inline script, nothing from another origin. Charts get their
data through ``json_script`` blocks (data, not code), which the policy permits.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from accord.api.errors import error_response

POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# Django's admin sets a few inline style attributes; it is for admins only.
ADMIN_POLICY = POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = ADMIN_POLICY if request.path.startswith("/admin/") else POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


TOO_LARGE = "The request body is {size:,} bytes; the largest accepted here is {limit:,} bytes."


UPLOAD_LIMIT_DEFAULT = 200 * 1024 * 1024


def body_limit(request: HttpRequest) -> int | None:
    """File uploads (imports) may be large, up to the import's own limit
    (``ACCORD_IMPORT_MAX_UPLOAD_BYTES``); any other body is small. None: no limit."""
    if request.content_type == "multipart/form-data":
        return getattr(settings, "ACCORD_IMPORT_MAX_UPLOAD_BYTES", UPLOAD_LIMIT_DEFAULT)
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class BodyLimitMiddleware:
    """Refuse a body declared larger than the limit with 413, before anything reads it.

    Django alone answers a too-large form with a bare 400 only once a view
    touches ``request.POST``; here the sender learns the limit at once, and
    API clients get it in the API's JSON error shape.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or ""
        limit = body_limit(request)
        if declared.isdigit() and limit is not None and int(declared) > limit:
            return _too_large(request, size=int(declared), limit=limit)
        return self.get_response(request)


def _too_large(request: HttpRequest, *, size: int, limit: int) -> HttpResponse:
    text = TOO_LARGE.format(size=size, limit=limit)
    if request.path.startswith("/api/"):
        return error_response(text, 413)
    return HttpResponse(text, status=413, content_type="text/plain; charset=utf-8")
