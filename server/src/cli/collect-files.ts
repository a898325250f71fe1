import { existsSync, readdirSync, statSync } from "node:fs";
import * as path from "node:path";
import { describeIoError } from "./read-source";

/** Folders never walked into (version control, caches, virtual environments, dependencies, builds). */
const SKIPPED_DIRECTORIES = new Set([
  ".git", ".hg", ".svn", ".bzr", "node_modules", "__pycache__", "__pypackages__", "site-packages",
  ".venv", "venv", ".env", ".tox", ".nox", ".direnv", ".eggs", ".mypy_cache", ".pytest_cache",
  ".ruff_cache", ".pytype", ".ipynb_checkpoints", "_build", "buck-out",
]);

export interface CollectedFiles {
  files: string[];
  errors: { path: string; error: string }[];
}

/**
 * Expands the command line's paths: files are taken as given (whatever their extension),
 * folders are walked for *.py and *.pyi in a stable order. Symbolic links to folders are not
 * followed, so a link cycle cannot trap the walk.
 */
export function collectFiles(paths: readonly string[]): CollectedFiles {
  const result: CollectedFiles = { files: [], errors: [] };
  for (const given of paths) {
    try {
      if (statSync(given).isDirectory()) walk(given, result);
      else result.files.push(given);
    } catch (error) {
      result.errors.push({ path: given, error: describeIoError(error) });
    }
  }
  return result;
}

function walk(directory: string, result: CollectedFiles): void {
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch (error) {
    result.errors.push({ path: directory, error: describeIoError(error) });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (SKIPPED_DIRECTORIES.has(entry.name) || existsSync(path.join(full, "pyvenv.cfg"))) continue;
      walk(full, result);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && /\.pyi?$/.test(entry.name)) {
      result.files.push(full);
    }
  }
}
