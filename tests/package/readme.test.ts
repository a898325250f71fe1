import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../server/src/rules/registry";
import { ROOT } from "../helpers/runtime";

const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");

describe("README", () => {
  it("starts with the two commands a newcomer needs", () => {
    const quickStart = readme.slice(readme.indexOf("## Quick start"), readme.indexOf("\n## ", readme.indexOf("## Quick start") + 1));
    expect(quickStart).toContain("npm ci && npx python-mentor check examples");
    expect(quickStart).toContain("npm test");
  });

  it("has one rules-table row per rule, with its code, name and severity, in code order", () => {
    const rows = [...readme.matchAll(/^\| (PYM\d{3}) \| ([a-z-]+) \| (error|warning|info|hint) \|/gm)].map((m) => [m[1], m[2], m[3]]);
    expect(rows).toEqual(RULES.map((rule) => [rule.code, rule.name, rule.severity]));
  });
});
