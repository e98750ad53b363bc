// The shop's Playwright `test`: every e2e spec imports `test` and `expect` from here instead of
// @playwright/test. For each test that opens a page, an automatic fixture
//   - records what the browser logs as an error (console.error, failed resource loads, uncaught
//     exceptions) on every page of the test's context, and fails the test if anything was logged that the
//     test did not declare as expected, and
//   - runs axe (WCAG 2.1 A and AA rules) on every shop page the test visits, and fails the test on any
//     serious or critical violation, listed with its rule, the elements and the page.
//
// When pages are analysed: before page.goto/reload/goBack/goForward leave a page whose analysis is still
// pending, and on arrival (before the call returns); when a page loads or changes URL by other means (a
// link, a redirect, a form), once it has been quiet for SETTLE_MS, while the test goes on; and once more at
// the end of the test, in the state the test left it. A page the test leaves by a click within SETTLE_MS
// of arriving is not analysed on its own: call pageChecks.analyze(page) before leaving it if it matters.
//
// A test that provokes errors on purpose says which, by patterns matched against "<message> (<source url>)":
//   test("…", async ({ page, pageChecks }) => { pageChecks.allowConsoleErrors(/status of 404/); … });
// The pages each test had analysed are listed in its "axe" annotation.
import AxeBuilder from "@axe-core/playwright";
import { test as base, type BrowserContext, type Page, type TestInfo } from "@playwright/test";

// Everything else (expect, types) is Playwright's own.
export * from "@playwright/test";

type Pattern = string | RegExp;

export type PageChecks = {
  /** Console and page errors matching any pattern (against "<message> (<url>)") do not fail this test. */
  allowConsoleErrors(...patterns: Pattern[]): void;
  /** Analyses the page now, e.g. once a dialog is open; pages are otherwise analysed on their own. */
  analyze(page: Page): Promise<void>;
};

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const FAILING_IMPACTS = new Set(["serious", "critical"]);
/** How long a page must stay unchanged after a load or URL change before it is analysed on its own. */
const SETTLE_MS = 250;

type Violation = Awaited<ReturnType<AxeBuilder["analyze"]>>["violations"][number];
type Finding = { rule: string; impact: string; help: string; helpUrl: string; url: string; target: string; html: string; summary: string };
type LoggedError = { kind: "console.error" | "pageerror"; text: string; page: string };

// Errors that mean the page went away mid-analysis (navigation, close): that page is analysed again, or
// was left on purpose, so they are not failures.
const GONE =
  /Execution context was destroyed|Target (page, context or browser )?(has been )?closed|frame was detached|navigat|Cannot find context|most likely because of a navigation/i;

declare global {
  interface Window {
    __pageChecksAnalysed?: string;
  }
}

/** One page's watcher: schedules axe runs as the page changes and runs them one at a time. */
class PageWatcher {
  private dirty = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly page: Page,
    private readonly shopOrigin: string,
    private readonly results: { findings: Finding[]; scanErrors: string[]; analysed: Set<string> },
  ) {
    page.on("load", () => this.changed());
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) this.changed();
    });
    this.wrapNavigation();
  }

  /** The page loaded or changed URL: analyse it once it has been quiet for SETTLE_MS. */
  changed(): void {
    this.dirty = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), SETTLE_MS);
  }

  /** Runs any pending analysis now (and waits for one under way). `force` analyses even an analysed view. */
  flush(options: { force?: boolean } = {}): Promise<void> {
    clearTimeout(this.timer);
    this.queue = this.queue.then(async () => {
      if (!(this.dirty || options.force) || this.page.isClosed()) return;
      this.dirty = false;
      await this.analyze(options.force ?? false);
    });
    return this.queue;
  }

  private async analyze(force: boolean): Promise<void> {
    const { page } = this;
    if (!this.isShop(page.url())) return;
    try {
      // Not fatal: a page still loading after 10 s is analysed as it is.
      await page.waitForLoadState("load", { timeout: 10_000 }).catch(() => undefined);
      // A view (document and URL) is analysed once on its own; `force` analyses it again.
      const href = await page.evaluate((force) => (!force && window.__pageChecksAnalysed === location.href ? null : location.href), force);
      if (href === null || !this.isShop(href)) return;
      const results = await new AxeBuilder({ page })
        .options({ iframes: false, resultTypes: ["violations"] })
        .withTags(AXE_TAGS)
        // Legacy mode runs axe.run in the page itself: no extra blank page in the test's context, and
        // Stripe's cross-origin frames (not ours to fix) are left out.
        .setLegacyMode()
        .analyze();
      await page.evaluate((href) => void (window.__pageChecksAnalysed = href), href).catch(() => undefined);
      const path = href.slice(this.shopOrigin.length);
      this.results.analysed.add(path);
      for (const violation of results.violations) {
        if (violation.impact && FAILING_IMPACTS.has(violation.impact)) this.results.findings.push(...toFindings(violation, path));
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (page.isClosed() || GONE.test(message)) return;
      this.results.scanErrors.push(`axe could not analyse ${page.url()}: ${message.split("\n")[0]}`);
    }
  }

  private isShop(url: string): boolean {
    return URL.canParse(url) && new URL(url).origin === this.shopOrigin;
  }

  /** page.goto and friends analyse the page being left (if pending) and the page they arrive at. */
  private wrapNavigation(): void {
    const page = this.page as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const name of ["goto", "reload", "goBack", "goForward"]) {
      const original = page[name]!.bind(this.page);
      page[name] = async (...args: unknown[]) => {
        await this.flush();
        const response = await original(...args);
        this.changed();
        await this.flush();
        return response;
      };
    }
  }
}

function toFindings(violation: Violation, path: string): Finding[] {
  return violation.nodes.map((node) => ({
    rule: violation.id,
    impact: violation.impact ?? "unknown",
    help: violation.help,
    helpUrl: violation.helpUrl,
    url: path,
    target: node.target.map((t) => (Array.isArray(t) ? t.join(" >>> ") : String(t))).join(" → "),
    html: node.html.replace(/\s+/g, " ").slice(0, 160),
    summary: (node.failureSummary ?? "").split("\n").slice(1, 2).join("").trim(),
  }));
}

const MAX_ELEMENTS_PER_PAGE = 8;

function axeReport(findings: Finding[]): string {
  // The same element found by several analyses (its selector may differ between them) is listed once.
  const seen = new Set<string>();
  const unique = findings.filter((f) => {
    const key = `${f.rule}|${f.url}|${f.html}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const byRule = new Map<string, Finding[]>();
  for (const f of unique) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  const lines = [`axe: ${unique.length} element(s) with serious or critical accessibility violations (WCAG 2.1 A/AA):`];
  for (const [rule, list] of byRule) {
    lines.push(`  [${list[0]!.impact}] ${rule}: ${list[0]!.help} (${list[0]!.helpUrl})`);
    const byUrl = new Map<string, Finding[]>();
    for (const f of list) byUrl.set(f.url, [...(byUrl.get(f.url) ?? []), f]);
    for (const [url, onPage] of byUrl) {
      lines.push(`    on ${url}:`);
      for (const f of onPage.slice(0, MAX_ELEMENTS_PER_PAGE))
        lines.push(`      ${f.target}${f.summary ? `: ${f.summary}` : ""}\n        ${f.html}`);
      if (onPage.length > MAX_ELEMENTS_PER_PAGE) lines.push(`      … and ${onPage.length - MAX_ELEMENTS_PER_PAGE} more`);
    }
  }
  return lines.join("\n");
}

function matches(patterns: Pattern[], text: string): boolean {
  return patterns.some((p) => (typeof p === "string" ? text.includes(p) : p.test(text)));
}

function watchErrors(page: Page, errors: LoggedError[]): void {
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const source = message.location().url;
    errors.push({ kind: "console.error", text: source ? `${message.text()} (${source})` : message.text(), page: page.url() });
  });
  page.on("pageerror", (error) => errors.push({ kind: "pageerror", text: `${error.name}: ${error.message}`, page: page.url() }));
}

function errorReport(errors: LoggedError[]): string {
  return [
    `The browser logged ${errors.length} unexpected error(s); a test that provokes one on purpose declares it with pageChecks.allowConsoleErrors(pattern):`,
    ...errors.map((e) => `  ${e.kind} on ${e.page}: ${e.text}`),
  ].join("\n");
}

async function setUpChecks(
  context: BrowserContext,
  baseURL: string | undefined,
  javaScriptEnabled: boolean | undefined,
  testInfo: TestInfo,
) {
  const shopOrigin = new URL(baseURL ?? "http://localhost:3000").origin;
  const findings: Finding[] = [];
  const scanErrors: string[] = [];
  const errors: LoggedError[] = [];
  const watchers = new Map<Page, PageWatcher>();
  const patterns: Pattern[] = [];
  const analysed = new Set<string>();

  const attach = (page: Page) => {
    watchErrors(page, errors);
    // axe runs as a script in the page: nothing to analyse with JavaScript off.
    if (javaScriptEnabled !== false) watchers.set(page, new PageWatcher(page, shopOrigin, { findings, scanErrors, analysed }));
  };
  context.pages().forEach(attach);
  context.on("page", attach);

  const checks: PageChecks = {
    allowConsoleErrors: (...more) => void patterns.push(...more),
    analyze: async (page) => {
      await watchers.get(page)?.flush({ force: true });
    },
  };

  const finish = async () => {
    const passedSoFar = testInfo.status === testInfo.expectedStatus;
    // The state each page was left in, unless the test already failed (its own error says more).
    for (const watcher of watchers.values()) {
      if (passedSoFar) await watcher.flush({ force: true });
      else await watcher.flush().catch(() => undefined);
    }
    testInfo.annotations.push({
      type: "axe",
      description: analysed.size ? `analysed ${[...analysed].join(", ")}` : "no shop page analysed",
    });
    const unexpected = errors.filter((e) => !matches(patterns, e.text));
    const problems = [
      ...(findings.length ? [axeReport(findings)] : []),
      ...(scanErrors.length ? [scanErrors.join("\n")] : []),
      ...(unexpected.length ? [errorReport(unexpected)] : []),
    ];
    if (problems.length) throw new Error(problems.join("\n\n"));
  };
  return { checks, finish };
}

export const test = base.extend<{ pageChecks: PageChecks }>({
  pageChecks: [
    async ({ context, baseURL, javaScriptEnabled }, use, testInfo) => {
      const { checks, finish } = await setUpChecks(context, baseURL, javaScriptEnabled, testInfo);
      await use(checks);
      await finish();
    },
    { auto: true, timeout: 60_000, title: "console errors and axe" },
  ],
});
