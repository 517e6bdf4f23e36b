#!/usr/bin/env bash
# Make sure Node.js and npm can run the pinned Allure 3 report generator, and that it and axe-core (the
# accessibility check's engine, tests/a11y/, injected into pages from node_modules/) are installed.
#
# allure 3.18's dependencies need Node 20.19 or newer (chokidar and readdirp: ">= 20.19.0"; glob and
# lru-cache: "20 || >=22", so not 21). Where node or npm is missing or too old we install Debian's
# nodejs and npm with apt, as scripts/ensure_browser.sh does for Chromium; Debian 12's nodejs is 18,
# which is too old, and then we say what to do instead. Then `npm ci` installs exactly
# package-lock.json into node_modules/ when node_modules is missing or older than the lock.
set -euo pipefail

cd "$(dirname "$0")/.."
say() { printf 'ensure-node: %s\n' "$*" >&2; }
# shellcheck source=lib/apt.sh
source scripts/lib/apt.sh

MIN_MAJOR=20
MIN_MINOR=19

node_ok() {
  command -v node >/dev/null || return 1
  local version major minor
  version=$(node --version 2>/dev/null) || return 1
  version=${version#v}
  major=${version%%.*}
  minor=${version#*.}
  minor=${minor%%.*}
  (( major >= 22 || (major == MIN_MAJOR && minor >= MIN_MINOR) ))
}
tools_ok() { node_ok && command -v npm >/dev/null; }

if ! tools_ok; then
  have="$(command -v node >/dev/null && node --version || echo none)"
  say "the HTML report needs Node.js >= $MIN_MAJOR.$MIN_MINOR (not 21) and npm; found node $have, npm $(command -v npm >/dev/null && npm --version || echo none)"
  packages=()
  node_ok || packages+=(nodejs)
  # A Node.js from elsewhere (NodeSource's nodejs) brings its own npm; Debian's npm needs Debian's nodejs.
  command -v npm >/dev/null || packages+=(npm)
  apt_install "the HTML report's Node.js $MIN_MAJOR.$MIN_MINOR+ (https://nodejs.org)" "${packages[@]}" || exit 1
  if ! tools_ok; then
    say "Debian's packages give node $(node --version 2>/dev/null || echo none), npm $(npm --version 2>/dev/null || echo none): too old or missing." >&2
    say "Install Node.js $MIN_MAJOR.$MIN_MINOR+ another way (Debian 13 'trixie' ships 20.19; or NodeSource's nodejs_20.x / nodejs_22.x)," >&2
    say "then run this again." >&2
    exit 1
  fi
  say "installed node $(node --version), npm $(npm --version)"
fi

# npm ci rewrites node_modules/.package-lock.json: older than package-lock.json means the lock changed since.
installed=node_modules/.package-lock.json
if [[ ! -f $installed || package-lock.json -nt $installed ]]; then
  say "installing the report generator and axe-core (npm ci, package-lock.json)..."
  if ! npm ci --no-audit --no-fund --loglevel=error >&2; then
    say "npm ci failed: the npm registry must be reachable (or its proxy set in npm's config)" >&2
    exit 1
  fi
  touch "$installed"
fi
