import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { CHROMIUM } from "./paths";
import { pollFor } from "./poll";

/** Debian's Chromium, headless, with every background connection off (the network is closed). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** The VS Code workbench in one browser page, driven as a person would: keys, clicks, reading. */
export class Workbench {
  private constructor(readonly page: Page) {}

  static async open(browser: Browser, url: string, folder: string): Promise<Workbench> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
    const workbench = new Workbench(page);
    // The explorer lists the folder once the remote extension host side is connected.
    await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
    await page.locator(".explorer-folders-view .monaco-list-row").first().waitFor({ timeout: 60_000 });
    return workbench;
  }

  /** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor to be active. */
  async openFile(name: string): Promise<void> {
    await this.dismissWidgets();
    await this.page.keyboard.press("Control+P");
    const input = this.page.locator(".quick-input-widget input");
    await input.waitFor();
    await input.fill(name);
    await this.page.locator(".quick-input-list .monaco-list-row", { hasText: name }).first().waitFor();
    await this.page.keyboard.press("Enter");
    await this.page.locator(".tabs-container .tab.active", { hasText: name }).waitFor();
    await this.activeEditor().locator(".view-lines").waitFor();
  }

  /** Runs a command by its palette label (F1, type, Enter on the matching entry). */
  async runCommand(label: string): Promise<void> {
    await this.dismissWidgets();
    await this.page.keyboard.press("F1");
    const input = this.page.locator(".quick-input-widget input");
    await input.waitFor();
    await input.fill(`>${label}`);
    await this.page.locator(".quick-input-list .monaco-list-row", { hasText: label }).first().waitFor();
    await this.page.keyboard.press("Enter");
  }

  /** The editor of the active editor group. */
  activeEditor(): Locator {
    return this.page.locator(".editor-group-container.active .editor-instance .monaco-editor").first();
  }

  /** The text the active editor shows, as the user reads it (no-break spaces made plain). */
  async editorText(): Promise<string> {
    return (await this.activeEditor().locator(".view-lines").innerText()).replace(/\u00a0/g, " ");
  }

  /** Waits until the active editor's text satisfies `accept`, and returns that text. */
  waitForEditorText(what: string, accept: (text: string) => boolean, timeoutMs = 20_000): Promise<string> {
    return pollFor(
      `the editor to show ${what}`,
      async () => {
        const text = await this.editorText();
        return accept(text) ? text : undefined;
      },
      timeoutMs,
      () => this.editorText(),
    );
  }

  /** A rendered line of the active editor holding `text`. */
  editorLine(text: string): Locator {
    return this.activeEditor().locator(".view-line", { hasText: text }).first();
  }

  /**
   * The token span of a line that holds `word` as a whole word. The grammar decides how a line is
   * split into spans (`aiohttp.ClientSession` may be one span), so a span may hold more than it.
   */
  token(lineText: string, word: string): Locator {
    const whole = new RegExp(`(^|\\W)${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\W|$)`);
    return this.editorLine(lineText).locator("span span", { hasText: whole }).first();
  }

  /** Dismisses whatever widget, menu or quick input is open, so the next keys reach the editor. */
  async dismissWidgets(): Promise<void> {
    for (const widget of [".quick-input-widget", ".action-widget", ".context-view .monaco-menu"]) {
      const open = this.page.locator(widget).first();
      if (await open.isVisible()) {
        await this.page.keyboard.press("Escape");
        await open.waitFor({ state: "hidden", timeout: 5_000 }).catch(() => undefined);
      }
    }
  }

  /**
   * Moves the keyboard focus in an open action or quick-pick list until the focused row holds
   * `label`, then presses Enter. Clicking would land on the menu's pointer block.
   */
  async chooseFocusedRow(list: string, label: string, maxSteps = 20): Promise<void> {
    const focused = this.page.locator(`${list} .monaco-list-row.focused`);
    for (let step = 0; step <= maxSteps; step++) {
      if ((await focused.count()) > 0 && (await focused.first().innerText()).includes(label)) {
        await this.page.keyboard.press("Enter");
        return;
      }
      await this.page.keyboard.press("ArrowDown");
    }
    throw new Error(`no row labelled "${label}" in ${list}`);
  }
}
