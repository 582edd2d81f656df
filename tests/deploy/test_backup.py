"""The restore drill: seed data, back up with deploy/backup.sh, restore with deploy/restore.sh
into an empty database, and compare every table's row count and a checksum of its content,
and the uploads. PostgreSQL leg only (pg_dump's custom format)."""

from __future__ import annotations

import os
import subprocess
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.db import connection

from tests.conftest import BASE_DIR, database_url_of_tests
from tests.deploy.conftest import _skip_or_fail

pytestmark = [pytest.mark.proxy, pytest.mark.django_db(transaction=True)]


def _psql(url: str, sql: str) -> str:
    result = subprocess.run(
        ["psql", url, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout.strip()


def _fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Every table of the public schema: (rows, md5 of all its rows in a stable order)."""
    tables = _psql(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    found = {}
    for table in tables.splitlines():  # names from pg_tables, not from input
        digest_of = "coalesce(md5(string_agg(t::text, chr(10) ORDER BY t::text)), '')"
        sql = f'SELECT count(*), {digest_of} FROM "{table}" t'  # noqa: S608
        rows, digest = _psql(url, sql).split("|")
        found[table] = (int(rows), digest)
    return found


def test_backup_then_restore_gives_back_every_row_and_every_file(communities, settings, tmp_path):
    if connection.vendor != "postgresql":
        _skip_or_fail("the restore drill needs PostgreSQL (DATABASE_URL)")
    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - discarded output
    media = tmp_path / "media"
    (media / "resources" / "2026").mkdir(parents=True)
    (media / "resources" / "2026" / "case.pdf").write_bytes(b"%PDF-1.4 demo\n")
    source = database_url_of_tests()
    backups = tmp_path / "backups"
    env = {
        **os.environ,
        "DATABASE_URL": source,
        "MEDIA_DIR": str(media),
        "BACKUP_DIR": str(backups),
    }

    started = time.monotonic()
    subprocess.run(["sh", str(BASE_DIR / "deploy" / "backup.sh")], env=env, check=True,
                   capture_output=True)  # fmt: skip
    backup_seconds = time.monotonic() - started
    [backup] = [p for p in backups.iterdir() if not p.name.startswith(".")]
    assert {p.name for p in backup.iterdir()} == {"database.dump", "media.tar.gz", "SHA256SUMS"}

    # An empty database to restore into, as after losing the server.
    parts = urlsplit(source)
    target_name = f"{parts.path.lstrip('/')}_restored"
    admin = urlunsplit(parts._replace(path="/postgres"))
    target = urlunsplit(parts._replace(path=f"/{target_name}"))
    _psql(admin, f'DROP DATABASE IF EXISTS "{target_name}"')
    _psql(admin, f'CREATE DATABASE "{target_name}"')
    restored_media = tmp_path / "restored-media"
    try:
        started = time.monotonic()
        subprocess.run(
            ["sh", str(BASE_DIR / "deploy" / "restore.sh"), str(backup)],
            env={**os.environ, "DATABASE_URL": target, "MEDIA_DIR": str(restored_media)},
            check=True, capture_output=True,
        )  # fmt: skip
        restore_seconds = time.monotonic() - started
        original, restored = _fingerprint(source), _fingerprint(target)
    finally:
        _psql(admin, f'DROP DATABASE IF EXISTS "{target_name}"')

    assert original == restored
    assert original["forums_thread"][0] >= 5
    assert original["events_event"][0] == 4
    assert (restored_media / "resources" / "2026" / "case.pdf").read_bytes() == b"%PDF-1.4 demo\n"
    print(f"backup {backup_seconds:.1f} s, restore {restore_seconds:.1f} s, "
          f"{len(original)} tables")  # fmt: skip


def test_a_tampered_backup_is_refused(tmp_path):
    backup = tmp_path / "20260101T000000Z"
    backup.mkdir()
    (backup / "database.dump").write_bytes(b"not what was written")
    (backup / "SHA256SUMS").write_text("0" * 64 + "  ./database.dump\n")
    result = subprocess.run(
        ["sh", str(BASE_DIR / "deploy" / "restore.sh"), str(backup)],
        env={**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"},
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode != 0
    assert "checksums do not match" in result.stderr
