#!/bin/sh
# Restore a backup made by deploy/backup.sh into an EMPTY database (create it first), and the
# uploads into MEDIA_DIR. Stop the web processes and the worker before, start them after.
#
#   DATABASE_URL=postgres://user:pass@host:5432/db MEDIA_DIR=/app/var/media \
#   deploy/restore.sh /backups/20261201T030000Z
set -eu
: "${DATABASE_URL:?set DATABASE_URL}"
source="${1:?give the backup directory}"
MEDIA_DIR="${MEDIA_DIR:-}"

( cd "$source" && sha256sum -c --quiet SHA256SUMS ) || { echo "checksums do not match" >&2; exit 1; }

# --exit-on-error: a restore that is not whole is not a restore.
pg_restore --no-owner --no-privileges --exit-on-error --jobs="${RESTORE_JOBS:-2}" \
    --dbname="$DATABASE_URL" "$source/database.dump"

if [ -n "$MEDIA_DIR" ] && [ -f "$source/media.tar.gz" ]; then
    mkdir -p "$MEDIA_DIR"
    tar -C "$MEDIA_DIR" -xzf "$source/media.tar.gz"
fi
echo "restored $source"
