#!/usr/bin/env bash
# Make sure a Chromium the harness can drive is on this machine, with CJK fonts.
#
# Order of choice (the same as fixtures/browser.py): $CHROMIUM_PATH, then
# Playwright's own Chromium, then a system Chromium. Playwright's browser
# download needs the internet, so on machines without it we install Debian's
# chromium, plus fonts-noto-cjk: without them Chinese text renders as boxes in
# screenshots and traces.
set -euo pipefail

python=${1:-.venv/bin/python}
say() { printf 'ensure-browser: %s\n' "$*"; }

if [[ -n "${CHROMIUM_PATH:-}" ]]; then
  if [[ -x "$CHROMIUM_PATH" ]]; then
    say "using CHROMIUM_PATH=$CHROMIUM_PATH"
    exit 0
  fi
  say "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file; point it at a Chromium binary or unset it" >&2
  exit 1
fi

bundled=$("$python" - <<'PY'
from pathlib import Path
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    path = p.chromium.executable_path
print(path if Path(path).is_file() else "")
PY
)
if [[ -n "$bundled" ]]; then
  say "using Playwright's bundled Chromium ($bundled)"
  exit 0
fi

have_cjk_fonts() { command -v fc-list >/dev/null && [[ -n "$(fc-list :lang=zh family 2>/dev/null)" ]]; }
system_chromium() { command -v chromium || command -v chromium-browser || command -v google-chrome || command -v google-chrome-stable; }

if system_chromium >/dev/null && have_cjk_fonts; then
  say "using system Chromium ($(system_chromium)) with CJK fonts"
  exit 0
fi

if ! command -v apt-get >/dev/null; then
  say "no Chromium with CJK fonts found, and this is not a Debian/Ubuntu machine." >&2
  say "Install Chromium and a CJK font (e.g. Noto Sans CJK), run 'playwright install chromium'," >&2
  say "or set CHROMIUM_PATH to a Chromium binary." >&2
  exit 1
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    say "installing Chromium needs root: run 'sudo apt-get install chromium fonts-noto-cjk' once" >&2
    exit 1
  fi
fi
say "Playwright's own Chromium is not installed and its download needs the internet;"
say "installing Debian's chromium and fonts-noto-cjk instead (one-time, about a minute)..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk fontconfig >/dev/null
say "installed $(system_chromium) ($("$(system_chromium)" --version 2>/dev/null || echo 'version unknown'))"
