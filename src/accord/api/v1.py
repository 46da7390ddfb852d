"""The REST API, version 1: one NinjaAPI, its error handlers and its routers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from accord.api import errors
from accord.api.auth import TokenAuth
from accord.api.docs import OfflineSwagger
from accord.api.routers import router_modules

api = NinjaAPI(
    title="Accord API",
    version="1",
    description="The shared database of sales and marketing. See docs/api.md.",
    urls_namespace="api:v1",  # nested: the api app's urls have app_name "api"
    auth=TokenAuth(),
    docs=OfflineSwagger(),
)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return errors.error_response(errors.INVALID_QUERY, 400, errors.field_errors(exc.errors))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return errors.error_response(errors.NOT_AUTHENTICATED, 401)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return errors.error_response(str(exc) or "Not allowed.", 403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return errors.error_response(errors.NOT_FOUND, 404)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return errors.error_response(str(exc), exc.status_code)


for _module in router_modules():
    api.add_router(getattr(_module, "PREFIX", ""), _module.router)
