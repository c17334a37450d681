#!/usr/bin/env bash
# Manages a running `./ferry dev` with Cloudflare's own wrangler CLI (needs Node.js and npm), to
# check that Cloudflare tools work against Ferry by changing only the API base URL. Not part of
# `mvn verify`, which must not depend on npm. Usage: scripts/wrangler-check.sh [data-dir]
set -euo pipefail
data_dir=${1:-data}
token=$(grep '^dev:' "$data_dir/api-tokens.txt" | head -1 | cut -d: -f2-)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm install --silent --no-fund --no-audit wrangler@4 >/dev/null)
export CLOUDFLARE_API_BASE_URL=http://127.0.0.1:8787/client/v4
export CLOUDFLARE_API_TOKEN=$token
export CLOUDFLARE_ACCOUNT_ID=dev
export WRANGLER_SEND_METRICS=false
w() { (cd "$work" && npx wrangler "$@"); }
set -x
w workflows list
w workflows describe sleepy
w workflows trigger sleepy '{"name":"wrangler"}'
w workflows trigger approval '{"request":"pen"}' --id "wrangler-$$"
sleep 5
w workflows instances list sleepy
w workflows instances describe sleepy latest
w workflows instances send-event approval "wrangler-$$" --type approval --payload '{"approver":"ada","approved":true}'
w workflows instances restart sleepy latest
w workflows instances terminate sleepy latest
