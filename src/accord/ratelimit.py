"""Rate limits on the doors attackers knock on: login, the API and the lead webhook.

Each limit is a fixed window counted in Django's cache: the embedded mode's
in-process cache for one server process, Redis (``REDIS_URL``) when several
workers must share the counts. A request over the limit gets 429 with a
``Retry-After`` header saying how many seconds are left in the window.

- Login: failed attempts per username and address. A success clears the count,
  so a person who mistypes twice is never locked out by their own login.
- API: every request per token (a client with no token is turned away at 401
  without touching the database, so it is not counted).
- Lead webhook: every delivery per sending address.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from accord.api.errors import error_response

TOO_MANY = "Too many requests. Try again in {seconds} seconds."
TOO_MANY_LOGINS = "Too many failed log-in attempts. Try again in {seconds} seconds."


@dataclass(frozen=True)
class Limit:
    """At most ``count`` hits per ``seconds`` window; parsed from ``"COUNT/SECONDS"``."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str, *, setting: str = "rate limit") -> Limit:
        count, _, seconds = text.partition("/")
        if not (count.strip().isdigit() and seconds.strip().isdigit() and int(seconds) > 0):
            raise ImproperlyConfigured(
                f"{setting} must look like COUNT/SECONDS (e.g. 10/900), not {text!r}"
            )
        return cls(count=int(count), seconds=int(seconds))

    @classmethod
    def from_settings(cls, name: str) -> Limit:
        return cls.parse(getattr(settings, name), setting=name)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int


def _key(scope: str, identity: str, window: int) -> str:
    digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
    return f"accord:rl:{scope}:{digest}:{window}"


def _window(limit: Limit, now: float) -> tuple[int, int]:
    """The window's number and the seconds left in it (at least 1)."""
    window = int(now // limit.seconds)
    left = (window + 1) * limit.seconds - now
    return window, max(1, int(left + 0.999))


def rate_hit(*, scope: str, identity: str, limit: Limit, now: float | None = None) -> Verdict:
    """Count one hit; refused once the window already holds ``limit.count`` hits."""
    window, left = _window(limit, time.time() if now is None else now)
    key = _key(scope, identity, window)
    cache.add(key, 0, timeout=limit.seconds + 1)
    try:
        hits = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit.seconds + 1)
        hits = 1
    return Verdict(allowed=hits <= limit.count, retry_after=left)


def rate_peek(*, scope: str, identity: str, limit: Limit, now: float | None = None) -> Verdict:
    """Whether one more hit would be allowed, without counting it."""
    window, left = _window(limit, time.time() if now is None else now)
    hits = cache.get(_key(scope, identity, window), 0)
    return Verdict(allowed=hits < limit.count, retry_after=left)


def rate_clear(*, scope: str, identity: str, limit: Limit, now: float | None = None) -> None:
    window, _ = _window(limit, time.time() if now is None else now)
    cache.delete(_key(scope, identity, window))


def client_address(request: HttpRequest) -> str:
    """The peer address. Behind a proxy every request shares the proxy's address
    unless ``ACCORD_TRUSTED_PROXY_HEADER`` names the header the proxy sets."""
    header = settings.ACCORD_TRUSTED_PROXY_HEADER
    if header:
        forwarded = request.META.get(header, "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _too_many(request: HttpRequest, verdict: Verdict, message: str) -> HttpResponse:
    text = message.format(seconds=verdict.retry_after)
    if request.path.startswith("/api/"):
        response: HttpResponse = error_response(text, 429)
    else:
        response = HttpResponse(text, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(verdict.retry_after)
    return response


class RateLimitMiddleware:
    """Applies the three limits; everything else passes untouched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path == reverse("login"):
            return self._login(request)
        if request.path == reverse("api:lead-hook"):
            verdict = rate_hit(
                scope="webhook",
                identity=client_address(request),
                limit=Limit.from_settings("ACCORD_RATE_WEBHOOK"),
            )
            if not verdict.allowed:
                return _too_many(request, verdict, TOO_MANY)
        elif request.path.startswith("/api/v1/"):
            token = _bearer_token(request)
            if token:
                verdict = rate_hit(
                    scope="api", identity=token, limit=Limit.from_settings("ACCORD_RATE_API")
                )
                if not verdict.allowed:
                    return _too_many(request, verdict, TOO_MANY)
        return self.get_response(request)

    def _login(self, request: HttpRequest) -> HttpResponse:
        limit = Limit.from_settings("ACCORD_RATE_LOGIN")
        identity = f"{request.POST.get('username', '').strip().lower()}|{client_address(request)}"
        verdict = rate_peek(scope="login", identity=identity, limit=limit)
        if not verdict.allowed:
            return _too_many(request, verdict, TOO_MANY_LOGINS)
        response = self.get_response(request)
        if response.status_code == 302:  # LoginView redirects only on success
            rate_clear(scope="login", identity=identity, limit=limit)
        elif response.status_code == 200:  # the form again, with its error
            rate_hit(scope="login", identity=identity, limit=limit)
        return response


def _bearer_token(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""
