"""Bearer-token authentication: the token stands in for its person's login."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from ninja.security import HttpBearer

from accord.api.queries import token_find
from accord.api.services import token_mark_used


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser | None:
        found = token_find(raw=token)
        if found is None:
            return None
        token_mark_used(token=found)
        user = found.person.user
        request.user = user
        return user
