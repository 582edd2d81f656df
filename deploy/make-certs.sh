#!/bin/sh
# A self-signed certificate for local use, written to $1 (default: deploy/certs) as cert.pem and
# key.pem, only when no certificate is there. Real deployments put their own pair there.
set -eu
dir="${1:-$(dirname "$0")/certs}"
mkdir -p "$dir"
if [ -s "$dir/cert.pem" ] && [ -s "$dir/key.pem" ]; then
    echo "certificates already in $dir"
    exit 0
fi
command -v openssl >/dev/null 2>&1 || apk add --no-cache openssl >/dev/null
openssl req -x509 -newkey rsa:2048 -sha256 -days 365 -nodes \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" \
    -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
chmod 644 "$dir/cert.pem" "$dir/key.pem"
echo "self-signed certificate written to $dir (for local use only)"
