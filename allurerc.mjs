// Allure 3 configuration of the HTML report (scripts/html_report.sh).
//
// One self-contained file that a product owner opens from disk, with no server and no network:
// the awesome plugin's `singleFile` inlines its scripts, styles and every result and attachment
// (screenshots, traces) into reports/html/index.html. `reportLanguage: "zh"` is one of the plugin's
// locales (AVAILABLE_LOCALES in @allurereport/web-commons: "zh" is 简体中文, "zh-TW" 繁體中文); left out,
// the report would follow the reader's OS language.
import { defineConfig } from "allure";

const REPORT_NAME = "企业身份认证 端到端回归测试";

export default defineConfig({
  // The core's name is what the plugin puts in the page title (it overrides the plugin's reportName), so both.
  name: REPORT_NAME,
  output: "reports/html",
  // allure-pytest-bdd labels every result with the machine, process, Python and framework: noise to its readers.
  hideLabels: ["host", "thread", "language", "framework"],
  // Allure's two default categories, in Chinese (same ids, so they replace the English ones), and the flaky runs.
  categories: [
    { id: "_product_errors_default_category", name: "产品缺陷（检查未通过）", matchers: { statuses: ["failed"] } },
    { id: "_test_errors_default_category", name: "测试故障（测试或环境出错）", matchers: { statuses: ["broken"] } },
    { id: "flaky", name: "不稳定（重跑后才通过）", matchers: { flaky: true } },
  ],
  plugins: {
    awesome: {
      options: {
        reportName: REPORT_NAME,
        singleFile: true,
        reportLanguage: "zh",
        // The features' own structure: 功能 (feature) → 规则 (story, where the feature has rules) → 场景.
        groupBy: ["feature", "story"],
        // A failed step open at once, the passed ones folded.
        stepTreeExpansion: "expand_failed_only",
      },
    },
  },
});
