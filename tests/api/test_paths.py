"""No route serves a file outside its folder, however the path is spelled."""

from __future__ import annotations

import pytest

TRAVERSALS = [
    "/static/%2e%2e/app.py",
    "/static/..%2fapp.py",
    "/static/%2e%2e%2f%2e%2e%2fsettings.py",
    "/static/..%5capp.py",
    "/static/%252e%252e/app.py",
    "/static//etc/passwd",
    "/corpus/charts/..%2f..%2f..%2fetc%2fpasswd",
    "/corpus/charts/%2e%2e",
    "/documents/..%2f..%2fetc%2fpasswd/report.html",
    "/api/documents/..%2fresults",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_a_path_out_of_a_folder_is_not_served(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404), (path, response.status_code)
    assert "def create_app" not in response.text and "root:" not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"


def test_static_files_are_still_served(client) -> None:
    assert client.get("/static/app.js").status_code == 200
