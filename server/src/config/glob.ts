/**
 * Ruff-like path patterns for `exclude` and `per-file-ignores`, matched against `/`-separated
 * paths relative to the pyproject.toml's folder:
 *
 * - `*` matches within one path segment, `?` one character of it, `**` any number of segments;
 * - a pattern with a `/` inside is anchored at the project's folder (`tests/*.py`);
 * - a pattern without one matches a segment at any depth (`__init__.py`, `migrations`);
 * - a pattern that matches a folder matches everything under it (`build`, `scripts/`).
 *
 * Written here rather than borrowed because these four rules are all the settings need, and
 * gitignore-style libraries bring negation and ordering semantics that Ruff's settings lack.
 */
export type PathMatcher = (relativePath: string) => boolean;

export function compileGlob(pattern: string): PathMatcher {
  let body = pattern.trim().replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  if (body === "" || body === ".") return () => true;
  const anchored = body.includes("/");
  if (body.startsWith("/")) body = body.slice(1);
  const segments = body.split("/").filter((segment) => segment !== "");
  let source = anchored ? "" : "(?:[^/]+/)*";
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === "**") source += last ? ".*" : "(?:[^/]+/)*";
    else source += segmentSource(segment) + (last ? "" : "/");
  });
  // A match of a folder covers what is inside it.
  const regex = new RegExp(`^${source}(?:/.*)?$`, "s");
  return (relativePath) => regex.test(normalizePath(relativePath));
}

/** Any of the patterns matches. */
export function compileGlobs(patterns: readonly string[]): PathMatcher {
  const matchers = patterns.map(compileGlob);
  return (relativePath) => matchers.some((matches) => matches(relativePath));
}

function segmentSource(segment: string): string {
  let source = "";
  for (const char of segment) {
    if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return source;
}

function normalizePath(path: string): string {
  return path.replace(/\\/g, "/").replace(/^(\.\/)+/, "").replace(/\/+$/, "");
}
