"""Log-ins, failed log-ins and log-outs, from Django's auth signals."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from accord.audit.services import audit_record


def _logged_in(sender: object, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action="login", actor=user, request=request)


def _logged_out(sender: object, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action="logout", actor=user, request=request)


def _login_failed(sender: object, credentials: dict[str, Any], request: Any = None, **_: Any):
    # The attempted username is kept (it says who was targeted); the password never is.
    username = str(credentials.get("username", ""))
    audit_record(action="login_failed", target=username, request=request)


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="accord.audit.login")
    user_logged_out.connect(_logged_out, dispatch_uid="accord.audit.logout")
    user_login_failed.connect(_login_failed, dispatch_uid="accord.audit.login_failed")
