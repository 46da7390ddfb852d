from __future__ import annotations

from django.urls import path

from accord.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("cockpit/", views.cockpit, name="cockpit"),
    path("cockpit/<slug:key>.csv", views.cockpit_csv, name="cockpit_csv"),
    path("report/", views.report, name="report"),
    path("report.pdf", views.report_download, name="report_pdf"),
    path("health", views.health, name="health"),
]
