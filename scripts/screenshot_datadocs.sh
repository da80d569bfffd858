#!/usr/bin/env bash
# PNG screenshot of the Great Expectations Data Docs index (envoy's run table on top, GE's lists below).
#   bash scripts/screenshot_datadocs.sh [PAGE_HTML] [OUT_PNG]
# Defaults: $ENVOY_REPORTS/data_docs/index.html (ENVOY_REPORTS defaults to data/reports under ENVOY_HOME)
# and screenshot.png beside it. The same headless Chromium run as scripts/screenshot_report.sh.
set -euo pipefail

cd "$(dirname "$0")/.."
home="${ENVOY_HOME:-.}"
reports="${ENVOY_REPORTS:-data/reports}"
[[ "$reports" = /* ]] || reports="$home/$reports"
page="${1:-$reports/data_docs/index.html}"
if [[ ! -f "$page" ]]; then
    echo "screenshot_datadocs: no Data Docs at $page: run \`envoy run\` or \`envoy demo\` first" >&2
    exit 1
fi
exec bash scripts/screenshot_report.sh "$page" "${2:-$(dirname "$page")/screenshot.png}"
