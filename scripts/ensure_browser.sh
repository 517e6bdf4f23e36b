#!/usr/bin/env bash
# Make sure a Chromium the harness can drive is on this machine, with CJK fonts.
#
# Order of choice (the same as fixtures/browser.py): $CHROMIUM_PATH, then
# Playwright's own Chromium, then a system Chromium. Playwright's browser
# download needs the internet, so on machines without it we install Debian's
# chromium and chromium-headless-shell, plus fonts-noto-cjk: without them Chinese
# text renders as boxes in screenshots and traces.
set -euo pipefail

python=${1:-.venv/bin/python}
say() { printf 'ensure-browser: %s\n' "$*"; }
# shellcheck source=lib/apt.sh
source "$(dirname "$0")/lib/apt.sh"

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
# What a headless run launches (fixtures/browser.py): Debian's headless shell, as Playwright runs its own
# headless shell; it halves the suite's CPU against the full browser, which --headed still needs.
headless_shell() { command -v chromium-headless-shell; }

if system_chromium >/dev/null && have_cjk_fonts && headless_shell >/dev/null; then
  say "using system Chromium ($(system_chromium); headless runs: $(headless_shell)) with CJK fonts"
  exit 0
fi

say "Playwright's own Chromium is not installed and its download needs the internet;"
say "installing Debian's chromium, chromium-headless-shell and fonts-noto-cjk instead (about a minute)..."
if ! apt_install "the browser" chromium chromium-headless-shell fonts-noto-cjk fontconfig; then
  # Older releases have no headless shell package: the full browser runs headless too, only slower.
  if ! apt_install "the browser" chromium fonts-noto-cjk fontconfig; then
    if system_chromium >/dev/null && have_cjk_fonts; then
      say "using system Chromium ($(system_chromium)) without its headless shell: the suite runs, more slowly"
      exit 0
    fi
    say "no Chromium with CJK fonts: install Chromium and a CJK font (e.g. Noto Sans CJK)," >&2
    say "run 'playwright install chromium', or set CHROMIUM_PATH to a Chromium binary." >&2
    exit 1
  fi
fi
say "installed $(system_chromium) ($("$(system_chromium)" --version 2>/dev/null || echo 'version unknown'))"
if headless_shell >/dev/null; then say "headless runs use $(headless_shell)"; fi
