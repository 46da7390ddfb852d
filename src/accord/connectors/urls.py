from __future__ import annotations

from django.urls import path

from accord.connectors import views

app_name = "connectors"
urlpatterns = [
    path("", views.index, name="index"),
    path("uploads/<int:pk>/", views.upload_detail, name="upload"),
    path("uploads/<int:pk>/dry-run", views.upload_dry_run, name="upload_dry_run"),
    path("uploads/<int:pk>/apply", views.upload_apply, name="upload_apply"),
    path("uploads/<int:pk>/discard", views.upload_discard, name="upload_discard"),
    path("uploads/<int:pk>/errors.csv", views.upload_errors, name="upload_errors"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("records/<str:kind>/<int:pk>/", views.record_origins, name="record"),
]
