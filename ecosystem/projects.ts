import { readFileSync } from "node:fs";
import * as path from "node:path";

/** One pinned release from the package index: a wheel fetched by its hash, never by "latest". */
export interface PinnedProject {
  name: string;
  version: string;
  sha256: string;
}

export interface ProjectManifest {
  /** The interpreter and platform the wheels are chosen for, whatever machine runs the check. */
  python: string;
  platform: string;
  projects: PinnedProject[];
}

export function readManifest(file: string): ProjectManifest {
  const raw: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!isManifest(raw)) throw new Error(`${file}: expected { python, platform, projects: [{ name, version, sha256 }] }`);
  return raw;
}

function isManifest(value: unknown): value is ProjectManifest {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.python === "string" &&
    typeof record.platform === "string" &&
    Array.isArray(record.projects) &&
    record.projects.every(
      (p: unknown) =>
        typeof p === "object" && p !== null && ["name", "version", "sha256"].every((key) => typeof (p as Record<string, unknown>)[key] === "string"),
    )
  );
}

/** Where a release is unpacked: one folder per name and version, so a bump never mixes files. */
export function projectDir(cacheDir: string, project: PinnedProject): string {
  return path.join(cacheDir, `${project.name}-${project.version}`);
}
