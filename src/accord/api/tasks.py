"""Background work the webhook hands off once its insert has committed."""

from __future__ import annotations

import importlib

from django_tasks import task


@task()
def lead_enter_funnel(*, lead_id: int) -> None:
    """Score and route a new lead, when the funnel app offers it.

    The funnel is written separately; until it defines
    ``accord.funnel.services.lead_enter_funnel`` this does nothing.
    """
    try:
        services = importlib.import_module("accord.funnel.services")
    except ModuleNotFoundError as exc:
        if exc.name != "accord.funnel.services":
            raise
        return
    enter = getattr(services, "lead_enter_funnel", None)
    if enter is not None:
        enter(lead_id=lead_id)
