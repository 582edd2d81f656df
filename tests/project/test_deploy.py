"""docker-compose.yml, the Dockerfile and .env.example agree with what the settings read."""

from __future__ import annotations

import ast
import shlex
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
import yaml

from tests.conftest import BASE_DIR


def settings_env_names() -> set[str]:
    """Every environment variable cop/settings.py reads (env.*(...) and its helpers)."""
    tree = ast.parse((BASE_DIR / "project" / "settings.py").read_text())
    readers = {"_given", "_names", "_required_in_production"}
    names = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        by_env = isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "env"
        by_helper = isinstance(func, ast.Name) and func.id in readers
        first = node.args[0]
        if (by_env or by_helper) and isinstance(first, ast.Constant):
            names.add(first.value)
    return names


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (BASE_DIR / "Dockerfile").read_text()


def dockerfile_cmd(text: str) -> str:
    lines = [line for line in text.splitlines() if line.startswith("CMD ")]
    assert len(lines) == 1, "one CMD"
    command = ast.literal_eval(lines[0].removeprefix("CMD "))
    return " ".join(command) if isinstance(command, list) else command


def test_settings_reader_finds_the_variables():
    # Guards the AST walk below against silently finding nothing.
    assert {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"} <= (
        settings_env_names()
    )


LONG_RUNNING = {"web1", "web2", "worker", "proxy", "postgres", "redis"}


def _volumes(service: dict) -> dict[str, str]:
    """{path in the container: source} of a service's mounts."""
    return {v.split(":")[1]: v.split(":")[0] for v in service.get("volumes", [])}


def test_compose_runs_a_proxy_two_web_processes_a_worker_and_the_engines(compose):
    services = compose["services"]
    assert set(services) == {
        "release", "web1", "web2", "worker", "certs", "proxy", "postgres", "redis", "backup"
    }  # fmt: skip
    postgres = services["postgres"]
    assert postgres["image"].split(":")[1].split(".")[0] == "16"
    # Built from the official image with the RUM extension that search ranks with.
    assert postgres["build"]["args"]["PG_MAJOR"] == "16"
    dockerfile = (BASE_DIR / postgres["build"]["context"] / "Dockerfile").read_text()
    assert "FROM postgres:${PG_MAJOR}" in dockerfile
    assert "postgresql-${PG_MAJOR}-rum" in dockerfile
    assert _volumes(postgres)["/var/lib/postgresql/data"] in compose["volumes"]
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    redis = services["redis"]
    assert redis["image"].split(":")[0] == "redis"
    assert redis["image"].split(":")[1].split(".")[0] == "7"
    assert "ping" in redis["healthcheck"]["test"]
    # Only the proxy is published; the web processes are reached through it.
    assert sorted(services["proxy"]["ports"]) == ["443:443", "80:80"]
    assert all("ports" not in services[name] for name in services if name != "proxy")


def test_every_long_running_service_has_a_health_check_and_limits(compose):
    for name in LONG_RUNNING:
        service = compose["services"][name]
        assert service["healthcheck"]["test"], name
        limits = service["deploy"]["resources"]["limits"]
        assert float(limits["cpus"]) > 0, name
        assert limits["memory"].endswith(("M", "G")), name
        assert service["restart"] == "unless-stopped", name


def test_named_volumes_are_declared(compose):
    for name, service in compose["services"].items():
        for source in _volumes(service).values():
            if not source.startswith((".", "/", "$")):
                assert source in compose["volumes"], (name, source)


def test_release_migrates_and_collects_static_before_the_web_processes(compose):
    services = compose["services"]
    release = " ".join(services["release"]["command"])
    assert release.index("migrate --noinput") < release.index("collectstatic --noinput")
    for name in ("web1", "web2", "worker"):
        assert services[name]["depends_on"]["release"] == {
            "condition": "service_completed_successfully"
        }
    # The static files the release writes are the ones the proxy serves.
    static_root = services["release"]["environment"]["STATIC_ROOT"]
    assert _volumes(services["release"])[static_root] == _volumes(services["proxy"])["/srv/static"]


def test_web_processes_are_the_same_and_serve_behind_the_proxy(compose):
    web1, web2 = compose["services"]["web1"], compose["services"]["web2"]
    assert web1 == web2
    command = web1["command"]
    assert command[:3] == ["python", "manage.py", "serve"]
    assert "0.0.0.0" in command  # noqa: S104 - inside the container, behind the proxy
    assert "--proxy-headers" in command
    assert command[command.index("--port") + 1] == "8000"
    assert "http://127.0.0.1:8000/healthz" in " ".join(web1["healthcheck"]["test"])
    assert web1["environment"]["SHUTDOWN_GRACE_SECONDS"] < web1["stop_grace_period"].rstrip("s")
    assert web1["environment"]["LOG_FORMAT"] == "json"


def test_the_proxy_config_points_at_the_web_services_and_volumes(compose):
    proxy = compose["services"]["proxy"]
    mounts = _volumes(proxy)
    config = (BASE_DIR / mounts["/etc/nginx/conf.d/default.conf"]).read_text()
    for name in ("web1", "web2"):
        assert f"server {name}:8000" in config
        assert proxy["depends_on"][name] == {"condition": "service_healthy"}
    web = compose["services"]["web1"]
    accel = web["environment"]["MEDIA_ACCEL_REDIRECT"]
    assert f"location {accel} {{\n        internal;\n        alias /srv/media/;" in config
    assert _volumes(web)[web["environment"]["MEDIA_ROOT"]] == mounts["/srv/media"]
    assert mounts["/etc/nginx/certs"] == "./deploy/certs"
    assert "ssl_certificate     /etc/nginx/certs/cert.pem;" in config
    assert "proxy_set_header Upgrade $http_upgrade;" in config
    assert "location = /metrics { return 404; }" in config


def test_the_worker_runs_the_same_image_and_settings(compose):
    web, worker = compose["services"]["web1"], compose["services"]["worker"]
    assert worker["build"] == web["build"] == "."
    assert worker["image"] == web["image"]
    assert worker["command"] == ["python", "manage.py", "worker"]
    # The same settings (one YAML anchor), so both talk to the same database and mail server.
    assert worker["environment"] == web["environment"]
    assert worker["healthcheck"]["test"] == ["CMD", "python", "manage.py", "worker", "--check"]
    assert "worker" in {s.split()[0] for s in _call_commands()}


def _call_commands() -> list[str]:
    """The management commands this project defines."""
    return [p.stem for p in BASE_DIR.glob("*/management/commands/*.py") if p.stem != "__init__"]


def test_web_health_check_calls_healthz(dockerfile):
    assert "HEALTHCHECK" in dockerfile
    assert "/healthz" in dockerfile.split("HEALTHCHECK", 1)[1].split("\n\n")[0]


def test_the_image_alone_migrates_then_serves(dockerfile):
    command = dockerfile_cmd(dockerfile)
    steps = [shlex.split(step) for step in command.split("&&")]
    migrate = next(i for i, s in enumerate(steps) if "migrate" in s)
    serve = next(i for i, s in enumerate(steps) if "serve" in s)
    assert migrate < serve
    assert steps[serve][steps[serve].index("manage.py") + 1] == "serve"
    assert "--noinput" in steps[migrate]


def test_uploads_live_on_a_volume(compose):
    web = compose["services"]["web1"]
    media_root = web["environment"]["MEDIA_ROOT"]
    assert _volumes(web)[media_root] in compose["volumes"]


def test_web_receives_only_variables_the_settings_read(compose):
    given = set(compose["services"]["web1"]["environment"])
    unknown = given - settings_env_names()
    assert not unknown, f"web is given variables nothing reads: {sorted(unknown)}"


def test_web_runs_production_settings(compose):
    environment = compose["services"]["web1"]["environment"]
    assert environment["DEBUG"] == "False"
    # Secrets come from the operator's .env, with no fallback value.
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert environment["ALLOWED_HOSTS"].startswith("${ALLOWED_HOSTS:?")
    assert environment["TRUSTED_PROXY_COUNT"] == "1"


def test_database_and_redis_urls_point_at_their_services(compose):
    environment = compose["services"]["web1"]["environment"]
    postgres = compose["services"]["postgres"]["environment"]
    database = urlsplit(environment["DATABASE_URL"])
    assert database.scheme in ("postgres", "postgresql")
    assert (database.hostname, database.port) == ("postgres", 5432)
    assert database.username == postgres["POSTGRES_USER"]
    assert database.path == f"/{postgres['POSTGRES_DB']}"
    redis = urlsplit(environment["REDIS_URL"])
    assert (redis.scheme, redis.hostname, redis.port) == ("redis", "redis", 6379)


def test_backup_service_runs_the_backup_script_on_demand(compose):
    backup = compose["services"]["backup"]
    assert backup["profiles"] == ["backup"]
    assert _volumes(backup)["/deploy/backup.sh"] == "./deploy/backup.sh"
    assert (BASE_DIR / "deploy" / "backup.sh").exists()
    assert (BASE_DIR / "deploy" / "restore.sh").exists()


def test_dockerfile_serves_with_manage_py_serve(dockerfile):
    assert "FROM python:3.11" in dockerfile
    assert "manage.py serve" in dockerfile_cmd(dockerfile)
    assert "USER " in dockerfile  # not as root
    assert "collectstatic" in dockerfile


def env_example() -> dict[str, str]:
    values = {}
    for line in (BASE_DIR / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value
    return values


def test_env_example_documents_every_variable_the_settings_read():
    missing = settings_env_names() - set(env_example())
    assert not missing, f".env.example does not list {sorted(missing)}"


def test_env_example_copied_to_the_environment_is_a_working_development_setup():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "ENV_FILE": "", **env_example()},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
