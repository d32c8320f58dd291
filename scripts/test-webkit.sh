#!/usr/bin/env bash
# npm run test:webkit: the whole suite in WebKitGTK. Needs Debian's webkit2gtk-driver and xvfb (CI installs
# them). Starts a virtual display and the WebDriver server, runs the suite, and stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in Xvfb WebKitWebDriver; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y xvfb webkit2gtk-driver" >&2; exit 1; }
done
display=":$((90 + RANDOM % 9))"
port=$((4400 + RANDOM % 500))
Xvfb "$display" -screen 0 1280x1024x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
DISPLAY="$display" WebKitWebDriver --port="$port" >/dev/null 2>&1 &
driver=$!
trap 'kill "$driver" "$xvfb" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -fs "http://127.0.0.1:$port/status" >/dev/null 2>&1 && break
  sleep 0.1
done
DISPLAY="$display" WEBKIT_DRIVER_PORT="$port" npx wtr --config web-test-runner.webkit.config.mjs "$@"
