from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("people/", include("accord.directory.urls")),
    path("crm/", include("accord.crm.urls")),
    path("inbox/", include("accord.inbox.urls")),
    path("funnel/", include("accord.funnel.urls")),
    path("metrics/", include("accord.metrics.urls")),
    path("diagnostic/", include("accord.diagnostic.urls")),
    path("playbook/", include("accord.playbook.urls")),
    path("meetings/", include("accord.cadence.urls")),
    path("feedback/", include("accord.feedback.urls")),
    path("import/", include("accord.connectors.urls")),
    path("audit/", include("accord.audit.urls")),
    path("", include("accord.api.urls")),
    path("", include("accord.web.urls")),
]
