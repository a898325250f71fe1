import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, openSync, closeSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import * as path from "node:path";
import { makeTempDir, type TempDir } from "../support/paths";
import { CODE_SERVER_BIN, VSIX } from "./paths";
import { pollFor } from "./poll";

/** User settings for a quiet, predictable workbench: no welcome page, tips, updates or trust prompt. */
const USER_SETTINGS = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "security.workspace.trust.enabled": false,
  "git.enabled": false,
  "files.autoSave": "off",
  "editor.snippetSuggestions": "top",
  "pythonMentor.language": "en",
};

export interface CodeServerOptions {
  /** Files of the workspace folder, by relative path. */
  workspace: Record<string, string>;
}

/**
 * One code-server process with its own user data, extensions and XDG folders in a fresh temp
 * directory, the extension under test installed from its .vsix, listening on 127.0.0.1 only.
 */
export class CodeServer {
  readonly url: string;
  readonly workspace: string;
  readonly logFile: string;
  private exited = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly temp: TempDir,
    private readonly userDataDir: string,
    port: number,
    workspace: string,
    logFile: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.workspace = workspace;
    this.logFile = logFile;
    child.once("exit", () => {
      this.exited = true;
    });
  }

  static async start(options: CodeServerOptions): Promise<CodeServer> {
    const temp = makeTempDir("vscode");
    const root = temp.path;
    const dirs = {
      userData: path.join(root, "user-data"),
      extensions: path.join(root, "extensions"),
      workspace: path.join(root, "workspace"),
      xdgConfig: path.join(root, "xdg/config"),
      xdgData: path.join(root, "xdg/data"),
      xdgCache: path.join(root, "xdg/cache"),
      xdgState: path.join(root, "xdg/state"),
    };
    for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
    mkdirSync(path.join(dirs.userData, "User"), { recursive: true });
    writeFileSync(path.join(dirs.userData, "User/settings.json"), JSON.stringify(USER_SETTINGS, null, 2));
    for (const [name, text] of Object.entries(options.workspace)) {
      mkdirSync(path.dirname(path.join(dirs.workspace, name)), { recursive: true });
      writeFileSync(path.join(dirs.workspace, name), text);
    }

    // XDG folders inside the temp dir keep code-server's config.yaml and state off the real home.
    const env = {
      ...process.env,
      XDG_CONFIG_HOME: dirs.xdgConfig,
      XDG_DATA_HOME: dirs.xdgData,
      XDG_CACHE_HOME: dirs.xdgCache,
      XDG_STATE_HOME: dirs.xdgState,
    };
    const common = ["--user-data-dir", dirs.userData, "--extensions-dir", dirs.extensions];
    installExtension(common, env);

    const port = await freePort();
    const logFile = path.join(root, "code-server.log");
    const log = openSync(logFile, "a");
    // Launched directly (not through npx) in a process group of its own, so that stopping it by
    // its PID also ends the extension host and the language server it started.
    const child = spawn(
      CODE_SERVER_BIN,
      [
        "--bind-addr", `127.0.0.1:${port}`,
        "--auth", "none",
        ...common,
        "--disable-telemetry",
        "--disable-update-check",
        "--disable-workspace-trust",
        "--disable-getting-started-override",
        dirs.workspace,
      ],
      { env, stdio: ["ignore", log, log], detached: true },
    );
    closeSync(log);
    const server = new CodeServer(child, temp, dirs.userData, port, dirs.workspace, logFile);
    let onExit: (() => void) | undefined;
    const exitedEarly = new Promise<never>((_, reject) => {
      onExit = () => reject(new Error("code-server exited before it answered"));
      child.once("exit", onExit);
    });
    try {
      await Promise.race([
        exitedEarly,
        pollFor(
          `code-server to answer ${server.url}/healthz`,
          async () => ((await fetch(`${server.url}/healthz`)).ok ? true : undefined),
          60_000,
        ),
      ]);
    } catch (error) {
      const log = server.logTail(50);
      await server.stop();
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nLast 50 lines of code-server's log:\n${log}`);
    } finally {
      if (onExit) child.off("exit", onExit);
      exitedEarly.catch(() => undefined);
    }
    return server;
  }

  /** The last lines of code-server's own log (stdout and stderr). */
  logTail(lines: number): string {
    return tail(this.logFile, lines);
  }

  /** The last lines of the extension's "Python Mentor" output channel, if it has written one. */
  extensionLogTail(lines: number): string {
    const file = newestFile(path.join(this.userDataDir, "logs"), (name) => name === "Python Mentor.log");
    return file ? `${file}:\n${tail(file, lines)}` : "(no \"Python Mentor\" output channel log under the user data dir)";
  }

  /** Stops the server's whole process group by its PID, then removes its temp directory. */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid !== undefined && !this.exited) {
      signalGroup(pid, "SIGTERM");
      try {
        await pollFor("code-server to exit", () => (this.exited ? true : undefined), 10_000);
      } catch {
        signalGroup(pid, "SIGKILL");
      }
    }
    // Children that outlive the parent for a moment still belong to the group.
    if (pid !== undefined) signalGroup(pid, "SIGKILL");
    if (!process.env.PYM_KEEP_E2E_DIRS) this.temp.remove();
  }
}

function installExtension(common: string[], env: NodeJS.ProcessEnv): void {
  const result = spawnSync(CODE_SERVER_BIN, [...common, "--install-extension", VSIX], {
    env,
    encoding: "utf8",
    timeout: 120_000,
  });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension ${VSIX} failed (status ${result.status}):\n${output}`);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch (error) {
    return `(cannot read ${file}: ${error instanceof Error ? error.message : String(error)})`;
  }
}

function newestFile(dir: string, matches: (name: string) => boolean): string | undefined {
  let best: { file: string; mtime: number } | undefined;
  const visit = (current: string): void => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (matches(entry.name)) {
        const mtime = statSync(full).mtimeMs;
        if (!best || mtime > best.mtime) best = { file: full, mtime };
      }
    }
  };
  visit(dir);
  return best?.file;
}
