#!/bin/sh
# Back up the database (pg_dump custom format) and the uploads, into BACKUP_DIR/<UTC time>/,
# keep BACKUP_KEEP_DAYS days of them, and copy the new one to BACKUP_S3_URL when it is set
# (needs the aws command line). docs/operations.md says how to run and restore it.
#
#   DATABASE_URL=postgres://user:pass@host:5432/db MEDIA_DIR=/app/var/media \
#   BACKUP_DIR=/backups deploy/backup.sh
set -eu
: "${DATABASE_URL:?set DATABASE_URL}"
: "${BACKUP_DIR:?set BACKUP_DIR}"
MEDIA_DIR="${MEDIA_DIR:-}"
BACKUP_KEEP_DAYS="${BACKUP_KEEP_DAYS:-14}"
BACKUP_S3_URL="${BACKUP_S3_URL:-}"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="$BACKUP_DIR/$stamp"
partial="$BACKUP_DIR/.partial-$stamp"
mkdir -p "$partial"

# One consistent snapshot of the database (pg_dump runs in a single repeatable-read
# transaction); custom format: compressed, restorable table by table, in parallel.
pg_dump --format=custom --compress=6 --no-owner --no-privileges \
    --file="$partial/database.dump" "$DATABASE_URL"

if [ -n "$MEDIA_DIR" ] && [ -d "$MEDIA_DIR" ]; then
    tar -C "$MEDIA_DIR" -czf "$partial/media.tar.gz" .
fi

( cd "$partial" && sha256sum ./* > SHA256SUMS )
mv "$partial" "$target"  # a backup directory without ".partial-" is complete
echo "backup written to $target"

if [ -n "$BACKUP_S3_URL" ]; then
    command -v aws >/dev/null 2>&1 || { echo "BACKUP_S3_URL is set but the aws command is missing" >&2; exit 1; }
    aws s3 cp --recursive "$target" "${BACKUP_S3_URL%/}/$stamp/"
fi

# Retention: complete backups older than BACKUP_KEEP_DAYS days go, and stale partial ones.
find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '20*' -mtime "+$BACKUP_KEEP_DAYS" \
    -exec rm -rf {} +
find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '.partial-*' -mmin +720 -exec rm -rf {} +
