"""The OpenAPI schema and the docs page, which must load nothing from the internet."""

from __future__ import annotations

import re

import pytest

from accord.api.routers import ROUTER_MODULES, router_modules


def test_the_schema_is_openapi_with_every_path(client, db) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for kind in ("accounts", "contacts", "campaigns", "touches", "opportunities", "leads", "spend"):
        assert f"/api/v1/{kind}" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/touches/bulk"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    names = schema["components"]["schemas"]
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+", name) for name in names)


def test_the_docs_page_is_served_from_here(client, db) -> None:
    page = client.get("/api/v1/docs")
    html = page.content.decode()
    assert page.status_code == 200
    assert not re.search(r"""(src|href)=["']https?://""", html)
    for asset in re.findall(r"""(?:src|href)="(/api/v1/docs/assets/[^"]+)\"""", html):
        assert client.get(asset).status_code == 200


def test_only_the_listed_assets_are_served(client, db) -> None:
    assert client.get("/api/v1/docs/assets/redoc.standalone.js").status_code == 404


def test_missing_router_modules_are_skipped() -> None:
    loaded = [module.__name__ for module in router_modules()]
    assert loaded[:2] == ["accord.api.resources", "accord.api.bulk"]
    assert set(loaded) <= set(ROUTER_MODULES)


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/docs"])
def test_schema_and_docs_need_no_token(client, db, path) -> None:
    assert client.get(path).status_code == 200
