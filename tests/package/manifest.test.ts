import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/runtime";

const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));

describe("the extension package", () => {
  it("holds exactly what runs, per the .vscodeignore allow-list", () => {
    const vsce = path.join(ROOT, "node_modules/@vscode/vsce/vsce");
    const run = spawnSync(process.execPath, [vsce, "ls", "--no-dependencies"], { cwd: ROOT, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim().split("\n").sort()).toEqual(
      [
        "LICENSE",
        "README.md",
        "dist/client.js",
        "dist/python-mentor.js",
        "dist/tree-sitter-python.wasm",
        "dist/web-tree-sitter.wasm",
        "dist/web/client.js",
        "dist/web/server.js",
        "docs/hover.png",
        "package.json",
        "snippets/python.json",
      ].sort(),
    );
  });

  it("activates on Python, runs in untrusted workspaces, and points at the built bundles", () => {
    expect(manifest.main).toBe("./dist/client.js");
    // VS Code for the Web (vscode.dev, github.dev) loads this one; its server runs in a web worker.
    expect(manifest.browser).toBe("./dist/web/client.js");
    expect(manifest.bin["python-mentor"]).toBe("bin/python-mentor.js");
    expect(manifest.activationEvents).toContain("onLanguage:python");
    expect(manifest.capabilities.untrustedWorkspaces.supported).toBe(true);
    expect(manifest.engines.vscode).toBe("^1.91.0");
    // The settings; tests/package/settings-schema.test.ts checks them against the server's schema.
    expect(Object.keys(manifest.contributes.configuration.properties).sort()).toEqual([
      "pythonMentor.diagnostics.enable",
      "pythonMentor.enable",
      "pythonMentor.hover.enable",
      "pythonMentor.ignore",
      "pythonMentor.language",
      "pythonMentor.maxFileSize",
      "pythonMentor.select",
      "pythonMentor.severity",
      "pythonMentor.trace.server",
    ]);
    expect(manifest.contributes.configuration.properties["pythonMentor.language"].enum).toEqual(["auto", "en", "ko", "zh-cn"]);
    const commands = manifest.contributes.commands.map((command: { command: string }) => command.command).sort();
    expect(commands).toEqual(["pythonMentor.explainTopic", "pythonMentor.restartServer", "pythonMentor.showEntry"]);
  });

  it("pins every dependency to an exact version (runtime and grammar ABI are coupled)", () => {
    for (const deps of [manifest.dependencies, manifest.devDependencies]) {
      for (const [name, version] of Object.entries(deps as Record<string, string>)) expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });
});
