from __future__ import annotations

from django.urls import path

from accord.playbook import views

app_name = "playbook"
urlpatterns = [
    path("", views.rules, name="rules"),
    path("firings/", views.firings, name="firings"),
    path("rules/new/", views.rule_edit, name="rule_new"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/active", views.rule_active, name="rule_active"),
    path("collateral/", views.library, name="library"),
    path("collateral/new/", views.collateral_new, name="collateral_new"),
    path("collateral/<int:pk>/", views.collateral, name="collateral"),
    path("collateral/<int:pk>/move", views.collateral_move, name="collateral_move"),
    path("collateral/<int:pk>/comment", views.collateral_comment, name="collateral_comment"),
    path("collateral/<int:pk>/feedback", views.collateral_feedback, name="collateral_feedback"),
    path("gaps/", views.gaps, name="gaps"),
    path("gaps/<int:pk>/pick", views.gap_pick, name="gap_pick"),
    path("gaps/<int:pk>/close", views.gap_close, name="gap_close"),
    path("launches/", views.launches, name="launches"),
    path("launches/<int:pk>/", views.launch, name="launch"),
    path("launches/points/<int:pk>", views.launch_point, name="launch_point"),
    path("launches/<int:pk>/announce", views.launch_announce_view, name="launch_announce"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/pin", views.account_pin, name="account_pin"),
    path("accounts/<int:pk>/override", views.account_override, name="account_override"),
    path("accounts/<int:pk>/plan", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/review", views.plan_review, name="plan_review"),
]
