/**
 * Path arithmetic on `/`-separated absolute paths, without `node:path` (the config room also runs
 * in a browser worker). Backslashes are read as separators, so Windows paths work too.
 */

export function toSlashes(path: string): string {
  return path.replace(/\\/g, "/");
}

/** The folder holding `path`; the root is its own parent. */
export function parentFolder(path: string): string {
  const slashed = toSlashes(path).replace(/\/+$/, "");
  const cut = slashed.lastIndexOf("/");
  if (cut < 0) return slashed;
  // `/x` -> `/`, `C:/x` -> `C:/`
  if (cut === 0 || /^[A-Za-z]:$/.test(slashed.slice(0, cut))) return slashed.slice(0, cut + 1);
  return slashed.slice(0, cut);
}

export function joinPath(folder: string, name: string): string {
  const base = toSlashes(folder);
  return base.endsWith("/") ? base + name : `${base}/${name}`;
}

/** `path` relative to `folder` (which holds it), with `/`; undefined when it is not under it. */
export function relativeTo(folder: string, path: string): string | undefined {
  const base = toSlashes(folder).replace(/\/+$/, "");
  const full = toSlashes(path);
  if (full === base) return "";
  return full.startsWith(`${base}/`) ? full.slice(base.length + 1) : undefined;
}

/** The local path of a `file:` URI (`file:///c%3A/x.py` -> `c:/x.py`); undefined for other schemes. */
export function fileUriToPath(uri: string): string | undefined {
  const match = /^file:\/\/([^/]*)(\/.*)?$/i.exec(uri);
  if (!match) return undefined;
  let path: string;
  try {
    path = decodeURIComponent((match[2] ?? "/").replace(/[?#].*$/, ""));
  } catch {
    return undefined;
  }
  if (/^\/[A-Za-z]:/.test(path)) path = path.slice(1);
  // A host (`file://server/share/x.py`) is a UNC path.
  return match[1] && match[1] !== "localhost" ? `//${match[1]}${path}` : path;
}
