#!/usr/bin/env bash
# Load on the release server from this machine: wrk against /healthz (a database ping) and a
# server-rendered framework page, each for a bounded time on loopback, with a fresh database.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${BENCH_SECONDS:-10}"
connections="${BENCH_CONNECTIONS:-32}"
folder="$(mktemp -d)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
RUST_LOG=warn DATABASE_URL="sqlite://$folder/caremap.db" ./target/release/caremap --addr "127.0.0.1:$port" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$folder"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
for path in /healthz /frameworks/coordinating-care; do
  echo "== GET $path: $connections connections, ${seconds}s"
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port$path" \
    | grep -E 'Requests/sec|^ +(50|90|99)%|Non-2xx|Socket errors'
done
