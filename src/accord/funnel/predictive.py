"""A predictive score learned from history, shown beside the agreed score, never instead.

A logistic regression (plain numpy, no extra dependency) learns from past MQLs
whether sales accepted them, from the facts known when they became MQLs: the
title's seniority words, company size and touches by kind. It trains on the
older 80% of decided MQLs and reports its accuracy on the newest 20%, next to
the accuracy of always guessing the more common outcome, so nobody trusts it
more than it deserves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery

from accord.crm.choices import TouchKind
from accord.crm.models import Lead, Touch

TITLE_WORDS = ("vp", "chief", "director", "head", "manager", "student", "analyst")
TOUCH_KINDS = (
    TouchKind.FORM_FILL,
    TouchKind.WEBINAR,
    TouchKind.EVENT_VISIT,
    TouchKind.CONTENT_DOWNLOAD,
    TouchKind.EMAIL_CLICK,
    TouchKind.WEB_VISIT,
)
FEATURES = (
    *(f"title has “{w}”" for w in TITLE_WORDS),
    "log company size",
    *(f"{k.label} touches" for k in TOUCH_KINDS),
)
MIN_HISTORY = 40
HELD_OUT = 0.2
STEPS, LEARNING_RATE, L2 = 800, 0.3, 0.01


@dataclass(frozen=True)
class Model:
    weights: tuple[float, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    trained_on: int
    tested_on: int
    accuracy: float
    baseline: float

    def probability(self, row: list[float]) -> float:
        x = (np.array(row) - np.array(self.mean)) / np.array(self.scale)
        z = float(self.weights[0] + np.dot(self.weights[1:], x))
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def _touches_before_mql(kind: str) -> Subquery:
    counted = (
        Touch.objects.filter(
            contact_id=OuterRef("contact_id"), kind=kind, occurred_at__lte=OuterRef("mql_at")
        )
        .values("contact_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(counted, output_field=IntegerField())


def feature_rows(leads: QuerySet[Lead]) -> list[tuple[int, bool, list[float]]]:
    """(lead id, accepted, features) for each lead, as known at its MQL moment."""
    annotated = leads.annotate(
        **{f"t_{i}": _touches_before_mql(k) for i, k in enumerate(TOUCH_KINDS)}
    ).values(
        "pk",
        "sal_at",
        "contact__title",
        "account__employees",
        "mql_at",
        *(f"t_{i}" for i in range(len(TOUCH_KINDS))),
    )
    rows = []
    for r in annotated.order_by("mql_at", "pk"):
        title = (r["contact__title"] or "").lower()
        features = [float(w in title) for w in TITLE_WORDS]
        features.append(math.log1p(r["account__employees"] or 0))
        features += [float(r[f"t_{i}"] or 0) for i in range(len(TOUCH_KINDS))]
        rows.append((r["pk"], r["sal_at"] is not None, features))
    return rows


def _fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    design = np.hstack([np.ones((len(x), 1)), x])
    weights = np.zeros(design.shape[1])
    for _ in range(STEPS):
        predicted = 1 / (1 + np.exp(-np.clip(design @ weights, -30, 30)))
        gradient = design.T @ (predicted - y) / len(y) + L2 * np.r_[0, weights[1:]]
        weights -= LEARNING_RATE * gradient
    return weights


def _floats(values: np.ndarray) -> tuple[float, ...]:
    return tuple(float(v) for v in values)


def model_train(decided: QuerySet[Lead]) -> Model | None:
    """Train on the older MQLs, test on the newest; None without enough history."""
    rows = feature_rows(decided)
    if len(rows) < MIN_HISTORY:
        return None
    labels = np.array([float(accepted) for _, accepted, _ in rows])
    if labels.min() == labels.max():
        return None
    matrix = np.array([features for _, _, features in rows])
    cut = int(len(rows) * (1 - HELD_OUT))
    mean, scale = matrix[:cut].mean(axis=0), matrix[:cut].std(axis=0)
    scale[scale == 0] = 1.0
    weights = _fit((matrix[:cut] - mean) / scale, labels[:cut])
    model = Model(_floats(weights), _floats(mean), _floats(scale), cut, len(rows) - cut, 0.0, 0.0)
    guesses = np.array([model.probability(list(r)) >= 0.5 for r in matrix[cut:]])
    majority = float(labels[:cut].mean() >= 0.5)
    return Model(
        model.weights,
        model.mean,
        model.scale,
        cut,
        len(rows) - cut,
        accuracy=float((guesses == labels[cut:].astype(bool)).mean()),
        baseline=float((labels[cut:] == majority).mean()),
    )


def decided_mqls() -> QuerySet[Lead]:
    return Lead.objects.filter(mql_at__isnull=False).filter(
        Q(sal_at__isnull=False) | ~Q(rejection_reason="")
    )


def model_current() -> Model | None:
    """The model for the data as it is now, trained at most once per change of the leads."""
    decided = decided_mqls()
    version = decided.aggregate(n=Count("pk"), last=Max("updated_at"))
    stamp = version["last"].timestamp() if version["last"] else 0
    key = f"funnel-predictive-{version['n']}-{stamp:.6f}"
    model = cache.get(key)
    if model is None:
        model = model_train(decided) or "none"
        cache.set(key, model, 3600)
    return None if model == "none" else model


def lead_acceptance_chance(lead: Lead) -> tuple[float, Model] | None:
    """The chance sales accepts this lead, with the model that says so."""
    model = model_current()
    if model is None or lead.mql_at is None:
        return None
    [(_, _, features)] = feature_rows(Lead.objects.filter(pk=lead.pk))
    return model.probability(features), model
