// The extension in a real VS Code: code-server (VS Code OSS 1.100) serves the workbench, headless
// Chromium shows it, Playwright types and reads as a person would. Setup: tests/e2e/setup.sh;
// the .vsix comes from `npm run package` (or PYM_VSIX).
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CodeServer } from "./vscode/code-server";
import { reportFailure, reportSetupFailure, screenshot, screenshotAround } from "./vscode/failure-report";
import { requireEditorTestTools } from "./vscode/paths";
import { pollFor } from "./vscode/poll";
import { launchChromium, Workbench } from "./vscode/workbench";

const WORKSPACE = {
  "sessions.py": [
    "import aiohttp",
    "",
    "",
    "async def fetch(url):",
    "    async with aiohttp.ClientSession as session:",
    "        async with session.get(url) as response:",
    "            return await response.text()",
    "",
  ].join("\n"),
  "temperature.py": [
    "class Temperature:",
    "    def __init__(self, celsius):",
    "        self.celsius = celsius",
    "",
    "    @staticmethod",
    "    def to_fahrenheit(celsius):",
    "        return celsius * 9 / 5 + 32",
    "",
  ].join("\n"),
  "compare.py": ["def is_one(x):", "    return x is 1", ""].join("\n"),
  "scratch.py": "",
};

const ENTRY_TITLE = "@staticmethod vs @classmethod";

describe("VS Code (code-server in Chromium)", () => {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let workbench: Workbench;

  beforeAll(async () => {
    requireEditorTestTools();
    server = await CodeServer.start({ workspace: WORKSPACE });
    try {
      browser = await launchChromium();
      workbench = await Workbench.open(browser, server.url, server.workspace);
    } catch (error) {
      await reportSetupFailure(browser, server);
      throw error;
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const onFailure = (name: string) =>
    reportFailure(name, () => workbench?.page, () => server);

  it("underlines `async with aiohttp.ClientSession` and lists PYM004 in the Problems view", async () => {
    onFailure("diagnostics");
    const page = workbench.page;
    await workbench.openFile("sessions.py");

    // The squiggle sits on the line with the uncalled class, under `ClientSession`. The first
    // analysis waits for the extension to activate and its server to start: a longer deadline.
    const token = workbench.token("async with aiohttp.ClientSession", "ClientSession");
    const squiggle = workbench.activeEditor().locator(".squiggly-error");
    await pollFor("an error squiggle under ClientSession", async () => {
      const target = await token.boundingBox({ timeout: 2_000 });
      for (const box of await Promise.all((await squiggle.all()).map((one) => one.boundingBox({ timeout: 2_000 })))) {
        if (!target || !box) continue;
        const sameLine = Math.abs(box.y + box.height / 2 - (target.y + target.height / 2)) < target.height;
        const underToken = box.x < target.x + target.width && box.x + box.width > target.x;
        if (sameLine && underToken) return true;
      }
      return undefined;
    }, 60_000);

    await workbench.runCommand("View: Focus Problems");
    const row = page.locator(".markers-panel .monaco-list-row", { hasText: "PYM004" });
    await row.first().waitFor();
    const text = await row.first().innerText();
    expect(text).toContain("`aiohttp.ClientSession` is the class itself; call it: `aiohttp.ClientSession()`");
    await screenshot(page, "diagnostics");
  });

  it("explains `staticmethod` on hover, mentioning classmethod", async () => {
    onFailure("hover");
    const page = workbench.page;
    await workbench.openFile("temperature.py");

    // The first .monaco-hover in the DOM is a hidden one: find the one showing the entry. A hover
    // asked before the server answers stays empty, so each look moves the mouse away and back.
    const hover = page.locator(".monaco-hover", { hasText: ENTRY_TITLE }).first();
    const token = workbench.token("@staticmethod", "staticmethod");
    await pollFor("the hover over staticmethod", async () => {
      await page.mouse.move(0, 0);
      await token.hover();
      return (await hover.waitFor({ state: "visible", timeout: 3_000 }).then(() => true, () => undefined));
    });
    const text = await hover.innerText();
    expect(text).toContain(ENTRY_TITLE);
    expect(text).toContain("A classmethod receives the class it was called on as cls");
    await screenshot(page, "hover");
    await screenshotAround(page, "hover-crop", [hover, workbench.token("class Temperature", "class"), token]);
    await page.keyboard.press("Escape");
  });

  it("quick-fixes `x is 1` to `x == 1` and the diagnostic goes away", async () => {
    onFailure("quick-fix");
    const page = workbench.page;
    await workbench.openFile("compare.py");
    const squiggles = workbench.activeEditor().locator(".squiggly-warning, .squiggly-error, .squiggly-info");
    await squiggles.first().waitFor();

    await workbench.token("return x is 1", "is").click();
    await page.keyboard.press("Control+.");
    const fix = page.locator(".action-widget .monaco-list-row", { hasText: "Use ==" });
    await fix.first().waitFor();
    await screenshot(page, "quick-fix-menu");
    await workbench.chooseFocusedRow(".action-widget", "Use ==");

    const text = await workbench.waitForEditorText("`x == 1`", (shown) => shown.includes("return x == 1"));
    expect(text).not.toContain("x is 1");
    await pollFor("the squiggle to go away", async () => ((await squiggles.count()) === 0 ? true : undefined));
    await screenshot(page, "quick-fix");
  });

  it("inserts a pym- snippet and opens an entry from \"Python Mentor: Explain topic...\"", async () => {
    onFailure("snippet-and-explain");
    const page = workbench.page;
    await workbench.openFile("scratch.py");

    // `-` ends a Python word, which closes the suggestions typing opened: ask for them (Ctrl+Space).
    await page.keyboard.type("pym-");
    await page.keyboard.press("Control+Space");
    const suggestions = page.locator(".editor-widget.suggest-widget .monaco-list-row");
    await suggestions.filter({ hasText: "pym-" }).first().waitFor();
    await page.keyboard.type("contextm");
    const snippet = suggestions.filter({ has: page.locator(".label-name", { hasText: /^pym-contextmanager$/ }) });
    await snippet.first().click();
    const inserted = await workbench.waitForEditorText("the @contextmanager snippet", (shown) =>
      shown.includes("def timed(label):"),
    );
    expect(inserted).toContain("from contextlib import contextmanager");
    expect(inserted).not.toContain("pym-");
    await page.keyboard.press("Escape");
    await screenshot(page, "snippet");

    await workbench.runCommand("Python Mentor: Explain topic...");
    const pickInput = page.locator(".quick-input-widget input");
    await page.locator(".quick-input-widget", { hasText: "Python Mentor: Explain topic" }).waitFor();
    await pickInput.fill("staticmethod");
    await page.locator(".quick-input-list .monaco-list-row", { hasText: ENTRY_TITLE }).first().waitFor();
    await page.keyboard.press("Enter");

    await page.locator(".tabs-container .tab", { hasText: "staticmethod-vs-classmethod" }).first().waitFor();
    // The Markdown preview renders in a webview: an iframe holding the active frame.
    const preview = page.frameLocator("iframe.webview.ready").frameLocator("#active-frame").locator("body");
    await pollFor("the Markdown preview to show the entry", async () => {
      const shown = await preview.innerText({ timeout: 1_000 });
      return shown.includes(ENTRY_TITLE) && shown.includes("Explanation") ? shown : undefined;
    });
    await screenshot(page, "explain-topic");
  });
});
