import { existsSync } from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../support/paths";

/** Where tests/e2e/setup-code-server.sh installs code-server (PYM_CODE_SERVER_DIR moves it). */
export const CODE_SERVER_DIR = process.env.PYM_CODE_SERVER_DIR ?? path.join(REPO_ROOT, "tests/e2e/.code-server");
export const CODE_SERVER_BIN = path.join(CODE_SERVER_DIR, "node_modules/.bin/code-server");

/** The packaged extension under test: `npm run package` writes it; PYM_VSIX points elsewhere. */
export const VSIX = process.env.PYM_VSIX ?? path.join(REPO_ROOT, "python-mentor.vsix");

export const CHROMIUM = process.env.PYM_CHROMIUM ?? "/usr/bin/chromium";

/** Screenshots of every scenario (git-ignored); printed on failure, attached nowhere else. */
export const SCREENSHOTS = path.join(REPO_ROOT, "tests/e2e/screenshots");

/** Fails early, with the command that fixes it, when something the editor tests need is missing. */
export function requireEditorTestTools(): void {
  const missing: string[] = [];
  if (!existsSync(CODE_SERVER_BIN)) missing.push(`code-server (${CODE_SERVER_BIN}): run bash tests/e2e/setup.sh`);
  if (!existsSync(CHROMIUM)) missing.push(`Chromium (${CHROMIUM}): run bash tests/e2e/setup.sh`);
  if (!existsSync(VSIX)) missing.push(`the extension package (${VSIX}): run npm run package`);
  if (missing.length > 0) throw new Error(`The VS Code editor tests cannot start; missing:\n  ${missing.join("\n  ")}`);
}
