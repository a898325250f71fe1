import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { projectDir, type PinnedProject, type ProjectManifest } from "./projects";

export type InstallOutcome =
  | { kind: "ready"; dir: string; fetched: boolean }
  | { kind: "unreachable"; detail: string }
  | { kind: "failed"; detail: string };

const MARKER = ".python-mentor-ecosystem";

/**
 * Puts one pinned release into the cache with pip (`--no-deps`, `--require-hashes`, wheels only,
 * for the manifest's interpreter and platform). A release already there is reused; a half-done
 * install (no marker) is removed first, so an interrupted run never leaves mixed files behind.
 */
export function installProject(manifest: ProjectManifest, project: PinnedProject, cacheDir: string, python: string, env: NodeJS.ProcessEnv = process.env): InstallOutcome {
  const dir = projectDir(cacheDir, project);
  const marker = path.join(dir, MARKER);
  if (existsSync(marker) && readFileSync(marker, "utf8").trim() === project.sha256) return { kind: "ready", dir, fetched: false };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const requirements = path.join(dir, ".requirements.txt");
  writeFileSync(requirements, `${project.name}==${project.version} --hash=sha256:${project.sha256}\n`);
  const run = spawnSync(
    python,
    [
      "-m", "pip", "install",
      "--no-deps", "--no-compile", "--disable-pip-version-check", "--no-input", "--quiet",
      "--require-hashes", "--only-binary=:all:",
      "--python-version", manifest.python, "--implementation", "cp", "--platform", manifest.platform,
      "--target", dir, "-r", requirements,
    ],
    // pip warns about running as root and about the target's bin folder; neither matters here.
    { encoding: "utf8", env: { ...env, PIP_ROOT_USER_ACTION: "ignore" }, timeout: 10 * 60_000 },
  );
  if (run.error) {
    rmSync(dir, { recursive: true, force: true });
    return { kind: "failed", detail: `could not run ${python} -m pip: ${run.error.message}` };
  }
  if (run.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    const said = `${run.stderr ?? ""}${run.stdout ?? ""}`.trim();
    const detail = lastMeaningfulLine(said);
    return isUnreachable(said) ? { kind: "unreachable", detail } : { kind: "failed", detail };
  }
  writeFileSync(marker, `${project.sha256}\n`);
  return { kind: "ready", dir, fetched: true };
}

/**
 * pip's words when the index cannot be reached or does not hold the pinned release (an offline
 * machine, a proxy, a mirror that carries other versions): the check then skips the project.
 */
export function isUnreachable(pipOutput: string): boolean {
  return /Could not fetch URL|Failed to establish a new connection|Network is unreachable|Name or service not known|Temporary failure in name resolution|getaddrinfo failed|ProxyError|Connection refused|timed out|No matching distribution found|Could not find a version that satisfies|network access is disabled|--no-index/i.test(
    pipOutput,
  );
}

function lastMeaningfulLine(text: string): string {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "" && !/^WARNING: Running pip as/.test(line));
  const error = lines.filter((line) => line.startsWith("ERROR:"));
  return (error.length > 0 ? error[error.length - 1] : lines[lines.length - 1] ?? "pip exited without a message").slice(0, 300);
}
