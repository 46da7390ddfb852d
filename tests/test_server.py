"""`accord serve` answers real HTTP on 127.0.0.1, static files included, with no internet."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

pytestmark = pytest.mark.nodb


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("served")
    env = {**os.environ, "ACCORD_DATA_DIR": str(data)}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "accord", "demo", "--size", "small", "--no-serve"],
        env=env,
        check=True,
        capture_output=True,
        timeout=240,
    )
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "accord", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_health_and_static_files(server: str) -> None:
    assert urllib.request.urlopen(f"{server}/health").read() == b'{"status": "ok"}'
    js = urllib.request.urlopen(f"{server}/static/accord/vendor/htmx.min.js")
    assert js.status == 200 and b"htmx" in js.read(200)


def test_pages_load_nothing_from_the_internet(server: str) -> None:
    html = urllib.request.urlopen(f"{server}/login/").read().decode()
    assert not re.search(r"""(src|href)=["']https?://""", html)


def test_a_demo_login_reaches_home_with_data(server: str) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{server}/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode(
        {"username": "cro", "password": "accord-demo", "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        f"{server}/login/", data=body, headers={"Referer": f"{server}/login/"}
    )
    home = opener.open(request).read().decode()
    assert "This quarter so far" in home
    assert "Open pipeline" in home
