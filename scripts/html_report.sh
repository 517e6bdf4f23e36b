#!/usr/bin/env bash
# Generate the HTML report (one self-contained file, in Chinese) from Allure results, and print its path.
#
#   scripts/html_report.sh                          # reports/allure-results → reports/html/index.html
#   scripts/html_report.sh shard-1/ shard-2/ ...    # several results directories of one run, one report
#
# Several directories are shards of one run (CI jobs, machines): Allure reads them all into one
# report, and the attempts of a scenario that was rerun show as its retries wherever they ran.
# REPORT_HTML_DIR overrides where the report goes (default reports/html).
# The generator is the pinned Allure 3 of package-lock.json (scripts/ensure_node.sh installs it);
# the layout, language and name are in allurerc.mjs.
set -euo pipefail

say() { printf 'html-report: %s\n' "$*" >&2; }
repo=$(cd "$(dirname "$0")/.." && pwd)

# Directories as given, from where the script was started; the generator runs from the repository.
results=()
for dir in "${@:-$repo/reports/allure-results}"; do
  if ! compgen -G "$dir/*-result.json" >/dev/null; then
    say "no Allure results in $dir: run pytest with --alluredir $dir first"
    exit 1
  fi
  results+=("$(cd "$dir" && pwd)")
done
# REPORT_HTML_DIR: where the report goes (reports/html by default; the harness's own tests use a temporary one).
output=$(mkdir -p "${REPORT_HTML_DIR:-$repo/reports/html}" && cd "${REPORT_HTML_DIR:-$repo/reports/html}" && pwd)
cd "$repo"

scripts/ensure_node.sh >&2

# A report from an earlier run must not survive a failed generation unnoticed.
rm -f "$output/index.html"
node_modules/.bin/allure generate --config allurerc.mjs --output "$output" "${results[@]}" >&2

report="$output/index.html"
if [[ ! -s "$report" ]]; then
  say "Allure wrote no $report"
  exit 1
fi
# The awesome plugin always writes a Google Analytics tag into the page (its template enables it
# unconditionally; ALLURE_NO_ANALYTICS only reaches the allure2 plugin). The report is read offline
# and carries test data of a government service: it must not call out when opened, so the tag goes.
node - "$report" <<'JS'
const fs = require("node:fs");
const file = process.argv[2];
const html = fs.readFileSync(file, "utf8");
const tag = /<script async src="https:\/\/www\.googletagmanager\.com\/gtag\/js[^"]*"><\/script>\s*<script>[^<]*?gtag\('config'[^<]*<\/script>/;
if (tag.test(html)) {
  fs.writeFileSync(file, html.replace(tag, ""));
} else if (html.includes("googletagmanager")) {
  console.error("html-report: the analytics tag changed shape; update the pattern in scripts/html_report.sh");
  process.exit(1);
}
JS
printf '%s\n' "$report"
