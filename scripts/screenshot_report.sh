#!/usr/bin/env bash
# PNG screenshot of the newest day's relations report page, for READMEs and eyeballing the layout.
#   bash scripts/screenshot_report.sh [REPORT_HTML] [OUT_PNG]
# Defaults: the newest $ENVOY_REPORTS/relations/relations-YYYY-MM-DD.html (ENVOY_REPORTS defaults to data/reports under ENVOY_HOME) and
# screenshot.png beside it. Needs Debian's `chromium` (apt-get install -y chromium).
set -euo pipefail

cd "$(dirname "$0")/.."
# Same resolution as pipeline.config: ENVOY_REPORTS, relative paths hanging from ENVOY_HOME (default: here).
home="${ENVOY_HOME:-.}"
reports="${ENVOY_REPORTS:-data/reports}"
[[ "$reports" = /* ]] || reports="$home/$reports"
# Default: the newest day's page (index.html only lists the days).
newest="$(ls -1 "$reports"/relations/relations-*.html 2>/dev/null | sort | tail -n 1 || true)"
page="${1:-${newest:-$reports/relations/index.html}}"
out="${2:-$(dirname "$page")/screenshot.png}"

browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [[ -z "$browser" ]]; then
    echo "screenshot_report: chromium not found (apt-get install -y chromium)" >&2
    exit 1
fi
if [[ ! -f "$page" ]]; then
    echo "screenshot_report: no report at $page: run \`envoy run\`, \`envoy demo\` or \`envoy report\` first" >&2
    exit 1
fi

abs_page="$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
mkdir -p "$(dirname "$out")"
abs_out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT

# The page loads plotly.js from its own folder; plotly needs a moment to draw, hence the virtual-time budget.
"$browser" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --disable-background-networking --disable-component-update --disable-sync --no-first-run \
    --hide-scrollbars --user-data-dir="$profile" --virtual-time-budget=5000 \
    --window-size=${ENVOY_SCREENSHOT_SIZE:-1400,2400} --screenshot="$abs_out" "file://$abs_page" >/dev/null 2>&1

if [[ ! -s "$abs_out" ]]; then
    echo "screenshot_report: chromium wrote no screenshot" >&2
    exit 1
fi
echo "screenshot: $abs_out"
