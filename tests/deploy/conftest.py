"""The production setup run for real on this machine: Debian's nginx with the project's own
configuration (deploy/nginx/cop.conf) in front of two ``manage.py serve`` processes that share
PostgreSQL and Redis. Only on the PostgreSQL + Redis leg (two processes need a shared database
and channel layer); ``REQUIRE_PROXY=1`` (set by .ci/run there) turns a skip into a failure."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.chat.conftest import alice, bob, community, room  # noqa: F401 - fixtures
from tests.conftest import BASE_DIR, Server, free_port, start_server, stop_server

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _skip_or_fail(reason: str):
    if os.environ.get("REQUIRE_PROXY") == "1":
        pytest.fail(f"REQUIRE_PROXY=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
def shared_engines(transactional_db):
    from django.db import connection

    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        _skip_or_fail("the multi-process tests need DATABASE_URL (PostgreSQL) and REDIS_URL")
    if not Path(NGINX).exists():
        _skip_or_fail("nginx is missing (apt-get install nginx)")


def insecure() -> ssl.SSLContext:
    """The proxy's certificate is self-signed (deploy/make-certs.sh)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


@dataclass
class Proxy:
    https_port: int
    http_port: int
    directory: Path
    process: subprocess.Popen
    web: list[Server] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def ws_url(self) -> str:
        return f"wss://127.0.0.1:{self.https_port}"

    def access_log(self) -> list[str]:
        path = self.directory / "logs" / "access.log"
        return path.read_text().splitlines() if path.exists() else []

    def error_log(self) -> str:
        path = self.directory / "logs" / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def get(self, path: str, timeout: float = 10) -> tuple[int, bytes, dict]:
        request = urllib.request.Request(self.url + path)
        try:
            with urllib.request.urlopen(request, timeout=timeout, context=insecure()) as response:
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read(), dict(error.headers)


def proxy_config(directory: Path, *, web: list[int], http_port: int, https_port: int) -> Path:
    """deploy/nginx/cop.conf with only its addresses and directories replaced."""
    text = (BASE_DIR / "deploy" / "nginx" / "cop.conf").read_text()
    replacements = {
        "web1:8000": f"127.0.0.1:{web[0]}",
        "web2:8000": f"127.0.0.1:{web[1]}",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "/etc/nginx/certs": str(directory / "certs"),
        "/srv/static": str(directory / "static"),
        "/srv/media": str(directory / "media"),
        "/var/log/nginx": str(directory / "logs"),
    }
    for old, new in replacements.items():
        assert old in text, f"{old!r} is no longer in deploy/nginx/cop.conf"
        text = text.replace(old, new)
    (directory / "cop.conf").write_text(text)
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = directory / "nginx.conf"
    main.write_text(
        f"{user}worker_processes 1;\npid {directory}/nginx.pid;\n"
        f"error_log {directory}/logs/error.log warn;\n"
        "events { worker_connections 4096; }\n"
        "http {\n"
        "  include /etc/nginx/mime.types;\n"
        f"  client_body_temp_path {directory}/tmp/body;\n"
        f"  proxy_temp_path {directory}/tmp/proxy;\n"
        f"  fastcgi_temp_path {directory}/tmp/fastcgi;\n"
        f"  uwsgi_temp_path {directory}/tmp/uwsgi;\n"
        f"  scgi_temp_path {directory}/tmp/scgi;\n"
        f"  include {directory}/cop.conf;\n"
        "}\n"
    )
    return main


def start_proxy(directory: Path, web_ports: list[int]) -> Proxy:
    for sub in ("certs", "static", "media", "logs", "tmp"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["sh", str(BASE_DIR / "deploy" / "make-certs.sh"), str(directory / "certs")],
        check=True,
        capture_output=True,
    )
    (directory / "static" / "probe.txt").write_text("static ok\n")
    http_port, https_port = free_port(), free_port()
    main = proxy_config(directory, web=web_ports, http_port=http_port, https_port=https_port)
    # -e: the error log before the configuration is read (the default path needs root).
    base = [NGINX, "-c", str(main), "-p", str(directory), "-e", str(directory / "logs/error.log")]
    check = subprocess.run([*base, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [*base, "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    proxy = Proxy(https_port=https_port, http_port=http_port, directory=directory, process=process)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{http_port}/nginx-health", timeout=1)
            return proxy
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("nginx did not start:\n" + proxy.error_log())


WEB_ENV = {
    "CHAT_FLOOD_MESSAGES": "100000",
    "MEDIA_ACCEL_REDIRECT": "/protected-media/",
    "SHUTDOWN_GRACE_SECONDS": "10",
    "LOG_FORMAT": "json",
    # What the proxy says the site is: https on its port.
    "TRUSTED_PROXY_COUNT": "1",
}


def start_web(tmp_path: Path, port: int | None, media: Path, proxy_port: int) -> Server:
    return start_server(
        tmp_path,
        port=port,
        extra_env={
            **WEB_ENV,
            "MEDIA_ROOT": str(media),
            "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{proxy_port}",
            "SITE_URL": f"https://127.0.0.1:{proxy_port}",
        },
        proxy_headers=True,
    )


@pytest.fixture
def stack(shared_engines, tmp_path):
    """nginx in front of two web processes, all on this test's database and Redis."""
    directory = tmp_path / "proxy"
    web_ports = [free_port(), free_port()]
    proxy = start_proxy(directory, web_ports)
    try:
        proxy.web = [
            start_web(tmp_path, port, directory / "media", proxy.https_port) for port in web_ports
        ]
        yield proxy
    finally:
        for server in proxy.web:
            if server.process.poll() is None:
                stop_server(server)
        proxy.process.terminate()
        proxy.process.wait(timeout=10)
