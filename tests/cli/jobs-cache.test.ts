import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, type CliRun } from "../helpers/cli";

const work = mkdtempSync(path.join(tmpdir(), "python-mentor-jobs-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A small project: findings in several files, clean files, identical empty files, one unreadable file. */
function makeProject(name: string): string {
  const root = path.join(work, name);
  const files: Record<string, string | Buffer> = {
    "app/__init__.py": "",
    "app/util/__init__.py": "",
    "app/identity.py": "x = 1\nprint(x is 1)\nif x == None:\n    pass\n",
    "app/people.py": "class Person:\n    @staticmethod\n    def make(cls):\n        return Person()\n",
    "app/locks.py": "import threading\nwith threading.Lock:\n    pass\n",
    "app/clean.py": "def add(a, b):\n    return a + b\n",
    "app/unicode.py": 'label = "한국어 中文 😀"; flag = label is "x"\n',
    "app/util/more.py": "y = 2\nprint(y is not 'a')\n",
    "app/util/latin1.py": Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x22, 0xe9, 0x22, 0x0a]),
  };
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return root;
}

/** Every file under a folder, relative to it, sorted. */
function listFiles(root: string, under = ""): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(path.join(root, under), { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(root, path.join(under, entry.name)) : [path.join(under, entry.name)]))
    .sort();
}

function packsIn(cache: string): string[] {
  return listFiles(cache).filter((file) => /^[0-9a-f]{16}[\\/][^.][^\\/]*\.json$/.test(file));
}

function check(project: string, args: string[], cache: string): CliRun {
  return runCli(["check", ...args, "app"], project, { PYTHON_MENTOR_CACHE_DIR: cache });
}

function same(a: CliRun, b: CliRun): void {
  expect(b.stdout).toBe(a.stdout);
  expect(b.stderr).toBe(a.stderr);
  expect(b.status).toBe(a.status);
}

describe("check --jobs", () => {
  const project = makeProject("jobs");

  it.each([["text"], ["json"], ["sarif"]])("gives byte-identical %s output with one thread and with three", (format) => {
    const one = check(project, ["--format", format, "--no-cache", "--jobs", "1"], path.join(work, "unused"));
    const three = check(project, ["--format", format, "--no-cache", "--jobs", "3"], path.join(work, "unused"));
    expect(one.status).toBe(2);
    expect(one.stderr).toBe(`python-mentor: error: ${path.join("app", "util", "latin1.py")}: not valid UTF-8, and no coding declaration (PEP 263) names another encoding\n`);
    same(one, three);
  });

  it("lists the findings in file order whatever thread found them", () => {
    const run = check(project, ["--jobs", "3", "--no-cache"], path.join(work, "unused"));
    const files = [...run.stdout.matchAll(/^(app\S*?):\d+:\d+:/gm)].map((match) => match[1]);
    expect(files).toEqual([...files].sort());
    expect(new Set(files)).toEqual(new Set(["app/identity.py", "app/locks.py", "app/people.py", "app/unicode.py", "app/util/more.py"].map((file) => file.split("/").join(path.sep))));
  });

  it.each([["0"], ["two"], ["-1"]])("rejects --jobs %s", (jobs) => {
    const run = check(project, [`--jobs=${jobs}`], path.join(work, "unused"));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--jobs must be a whole number");
  });
});

describe("check's findings cache", () => {
  it("gives the same output when warm, keeps its entries in the cache folder and none in the project", () => {
    const project = makeProject("warm");
    const cache = path.join(work, "warm-cache");
    const before = listFiles(project);
    const cold = check(project, ["--format", "json", "--jobs", "3"], cache);
    expect(packsIn(cache)).toHaveLength(1);
    const warm = check(project, ["--format", "json", "--jobs", "3"], cache);
    same(cold, warm);
    same(cold, check(project, ["--format", "json", "--no-cache", "--jobs", "1"], cache));
    expect(listFiles(project)).toEqual(before);
    // A warm run adds nothing; another language is another key, stored beside the first.
    expect(packsIn(cache)).toHaveLength(1);
    const korean = check(project, ["--lang", "ko"], cache);
    expect(korean.stdout).toMatch(/[\uac00-\ud7a3]/);
    expect(packsIn(cache)).toHaveLength(2);
    same(korean, check(project, ["--lang", "ko"], cache));
  });

  it("reads and writes nothing with --no-cache", () => {
    const project = makeProject("nocache");
    const cache = path.join(work, "nocache-cache");
    const run = check(project, ["--no-cache"], cache);
    expect(run.stdout).toContain("PYM001");
    expect(existsSync(cache)).toBe(false);
  });

  it("ignores a damaged pack or entry, still prints the right findings, and rewrites the cache", () => {
    const project = makeProject("damaged");
    const cache = path.join(work, "damaged-cache");
    const expected = check(project, ["--format", "json"], cache);
    const [pack] = packsIn(cache);
    const packFile = path.join(cache, pack);

    // Valid JSON, but every entry claims one wrong finding.
    const parsed = JSON.parse(readFileSync(packFile, "utf8")) as { entries: Record<string, unknown> };
    for (const key of Object.keys(parsed.entries)) parsed.entries[key] = [{ code: "PYM999", range: "nowhere" }];
    writeFileSync(packFile, JSON.stringify(parsed));
    same(expected, check(project, ["--format", "json"], cache));

    // Not JSON at all, as after a crash mid-write on a file system without atomic rename.
    for (const file of packsIn(cache)) writeFileSync(path.join(cache, file), '{"format": 1, "entries": {"ab');
    same(expected, check(project, ["--format", "json"], cache));
    const rewritten = packsIn(cache);
    expect(rewritten).toHaveLength(1);
    expect(() => JSON.parse(readFileSync(path.join(cache, rewritten[0]), "utf8"))).not.toThrow();
    same(expected, check(project, ["--format", "json"], cache));
  });

  it("warns once when the cache folder cannot be written, and checks all the same", () => {
    const project = makeProject("unwritable");
    const blocker = path.join(work, "a-file");
    writeFileSync(blocker, "not a folder\n");
    const expected = check(project, ["--no-cache"], path.join(work, "unused"));
    const run = check(project, [], path.join(blocker, "cache"));
    expect(run.stdout).toBe(expected.stdout);
    expect(run.status).toBe(expected.status);
    const warnings = run.stderr.split("\n").filter((line) => line.includes("warning"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^python-mentor: warning: cannot use the cache folder .*a-file.*; checking without the cache$/);
    expect(run.stderr.replace(`${warnings[0]}\n`, "")).toBe(expected.stderr);
  });

  it("sees a changed file's new content on the next run", () => {
    const project = makeProject("changed");
    const cache = path.join(work, "changed-cache");
    const file = path.join(project, "app", "clean.py");
    expect(check(project, [], cache).stdout).not.toContain("clean.py");
    writeFileSync(file, "def add(a, b):\n    return a is 1\n");
    const changed = check(project, [], cache);
    expect(changed.stdout).toContain(`${path.join("app", "clean.py")}:2:12: PYM001`);
    writeFileSync(file, "def add(a, b):\n    return a + b\n");
    expect(check(project, [], cache).stdout).not.toContain("clean.py");
  });
});
