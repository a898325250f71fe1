import { mkdirSync, rmSync } from "node:fs";
import * as path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { onTestFailed } from "vitest";
import type { CodeServer } from "./code-server";
import { SCREENSHOTS } from "./paths";

/** Saves a full-page screenshot of the workbench as tests/e2e/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * A screenshot cropped to the box around `parts` (say, a hover widget and the line it explains),
 * with a small margin; for the README.
 */
export async function screenshotAround(page: Page, name: string, parts: Locator[]): Promise<string> {
  const boxes = (await Promise.all(parts.map((part) => part.boundingBox()))).filter((box) => box !== null);
  if (boxes.length === 0) throw new Error(`nothing to crop for ${name}: none of its parts is on screen`);
  const margin = 8;
  const left = Math.max(0, Math.min(...boxes.map((box) => box.x)) - margin);
  const top = Math.max(0, Math.min(...boxes.map((box) => box.y)) - margin);
  const right = Math.max(...boxes.map((box) => box.x + box.width)) + margin;
  const bottom = Math.max(...boxes.map((box) => box.y + box.height)) + margin;
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, clip: { x: left, y: top, width: right - left, height: bottom - top } });
  return file;
}

/** When the workbench cannot even open: what the browser showed, if anything, and the server's log. */
export async function reportSetupFailure(browser: Browser | undefined, server: CodeServer): Promise<void> {
  const lines = ["The VS Code workbench did not open."];
  const page = browser?.contexts().flatMap((context) => context.pages())[0];
  if (page) {
    try {
      lines.push(`Screenshot: ${await screenshot(page, "setup-failed")}`);
    } catch (error) {
      lines.push(`No screenshot: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  lines.push(`Last 50 lines of code-server's log (${server.logFile}):`, server.logTail(50));
  console.error(lines.join("\n"));
}

/**
 * When the current test fails: a screenshot of the moment, its path, the last 50 lines of
 * code-server's log and of the extension's output channel, all printed in the test output.
 */
export function reportFailure(name: string, page: () => Page | undefined, server: () => CodeServer | undefined): void {
  // A failure screenshot left by an earlier run would mislead whoever reads this run's results.
  rmSync(path.join(SCREENSHOTS, `${name}-failed.png`), { force: true });
  onTestFailed(async () => {
    const lines: string[] = [`VS Code scenario "${name}" failed.`];
    const current = page();
    if (current) {
      try {
        lines.push(`Screenshot: ${await screenshot(current, `${name}-failed`)}`);
      } catch (error) {
        lines.push(`No screenshot: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const running = server();
    if (running) {
      lines.push(`Last 50 lines of code-server's log (${running.logFile}):`, running.logTail(50));
      lines.push(`Last 50 lines of the "Python Mentor" output channel:`, running.extensionLogTail(50));
    }
    console.error(lines.join("\n"));
  });
}
