import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/** Shared by the editor tests: where the repository is, which server they run, and throwaway folders. */

export const REPO_ROOT = path.resolve(__dirname, "../../..");

/**
 * The server bundle the editors start (`node <bundle> lsp --stdio`): `dist/python-mentor.js`, which
 * `npm run test:e2e` packages first, or the bundle named by PYM_SERVER_JS (a build made elsewhere
 * with `PYM_OUTDIR=/tmp/x node scripts/build.mjs`). Throws, saying how to get one, when it is missing.
 */
export function serverBundle(): string {
  const bundle = process.env.PYM_SERVER_JS ? path.resolve(process.env.PYM_SERVER_JS) : path.join(REPO_ROOT, "dist/python-mentor.js");
  if (!existsSync(bundle)) {
    throw new Error(`The language server bundle ${bundle} does not exist: run \`npm run build\`, or point PYM_SERVER_JS at one.`);
  }
  return bundle;
}

export interface TempDir {
  readonly path: string;
  /** Deletes the folder and everything in it. */
  remove(): void;
}

/** A new empty folder under the system's temp folder, named `python-mentor-<prefix>-XXXXXX`. */
export function makeTempDir(prefix: string): TempDir {
  const dir = mkdtempSync(path.join(tmpdir(), `python-mentor-${prefix}-`));
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
