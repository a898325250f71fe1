import { joinPath, parentFolder, toSlashes } from "./paths";
import { parsePyproject, type ConfigProblem, type PyprojectConfig } from "./pyproject";

/** Reads a file's text; undefined when there is none (or it cannot be read). Injected: no `node:` here. */
export type ReadFile = (path: string) => string | undefined;

/** The pyproject.toml that configures a folder. */
export interface ProjectConfig {
  /** The pyproject.toml's path, and its folder: patterns in it are relative to that folder. */
  file: string;
  root: string;
  /** Undefined when the table has problems: the defaults apply to the files under it. */
  config?: PyprojectConfig;
  problems: ConfigProblem[];
}

export const PYPROJECT = "pyproject.toml";

/**
 * Finds the configuration of a file the way Ruff does: the closest pyproject.toml, searching up
 * from the file's folder, that has a `[tool.python-mentor]` table. A pyproject.toml without one
 * (a parent project's, a build-only one) does not stop the search. One that cannot be parsed
 * stops it if it mentions python-mentor at all (its table may be what is broken); otherwise it
 * is none of our business and is passed over. Results are cached per folder until `clear()`.
 */
export class PyprojectFinder {
  private readonly byFolder = new Map<string, ProjectConfig | null>();

  constructor(private readonly readFile: ReadFile) {}

  /** The configuration of the file at `path` (absolute), or undefined when no pyproject.toml has our table. */
  forFile(path: string): ProjectConfig | undefined {
    return this.forFolder(parentFolder(path));
  }

  forFolder(folder: string): ProjectConfig | undefined {
    const visited: string[] = [];
    let found: ProjectConfig | null | undefined;
    let current = toSlashes(folder);
    for (;;) {
      found = this.byFolder.get(current);
      if (found !== undefined) break;
      visited.push(current);
      found = this.read(current);
      if (found) break;
      const parent = parentFolder(current);
      if (parent === current) break;
      current = parent;
    }
    for (const seen of visited) this.byFolder.set(seen, found ?? null);
    return found ?? undefined;
  }

  /** Forgets every folder's result (a pyproject.toml was created, changed or deleted). */
  clear(): void {
    this.byFolder.clear();
  }

  private read(folder: string): ProjectConfig | null {
    const file = joinPath(folder, PYPROJECT);
    const text = this.readFile(file);
    // Without the name the file cannot hold our table: skip parsing other projects' files.
    if (text === undefined || !text.includes("python-mentor")) return null;
    const result = parsePyproject(text, file);
    if (!result.hasTable) return null;
    return { file, root: folder, config: result.config, problems: result.problems };
  }
}
