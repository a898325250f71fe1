import { beforeAll, describe, expect, it } from "vitest";
import { compileKnowledge } from "../../server/src/knowledge/compile-knowledge";
import { EntryError, parseEntry } from "../../server/src/knowledge/parse-entry";
import { RULES } from "../../server/src/rules/registry";
import { TestAnalyzer, knowledgeSources, loadEntries, loadLanguage } from "../helpers/runtime";

const VALID = `---
id: sample
title: Sample
summary: One sentence about it.
triggers: [keyword:is]
rules: [PYM001]
related: []
links: [https://docs.python.org/3/]
---

## Explanation
Text.

## Example
\`\`\`python
x is 1
\`\`\`

## Pitfall
Text.

## Use instead
\`\`\`python
x == 1
\`\`\`
`;

function entryError(source: string): EntryError {
  try {
    parseEntry(source, "en/sample.md", "sample", "en");
  } catch (error) {
    if (error instanceof EntryError) return error;
    throw error;
  }
  throw new Error("the entry was accepted");
}

describe("knowledge entry validation", () => {
  it("accepts a well-formed entry", () => {
    const entry = parseEntry(VALID, "en/sample.md", "sample", "en");
    expect(entry.sections.exampleCode).toBe("x is 1\n");
    expect(entry.triggers).toEqual(["keyword:is"]);
  });

  it.each([
    ["id that differs from the file name", VALID.replace("id: sample", "id: other"), "id"],
    ["summary of two sentences", VALID.replace("One sentence about it.", "One. Two."), "summary"],
    ["malformed trigger", VALID.replace("[keyword:is]", "[staticmethod]"), "triggers"],
    ["bad rule code", VALID.replace("[PYM001]", "[E711]"), "rules"],
    ["no links", VALID.replace("[https://docs.python.org/3/]", "[]"), "links"],
    ["unknown field", VALID.replace("related: []", "related: []\nauthor: me"), "author"],
    ["missing section", VALID.replace("## Pitfall\nText.\n", ""), "body"],
    ["example without python block", VALID.replace("```python\nx is 1\n```", "x is 1"), "## Example"],
    ["broken YAML", VALID.replace("triggers: [keyword:is]", "triggers: [keyword:is"), "front matter"],
  ])("rejects an entry with a %s, naming the file and field", (_, source, field) => {
    const error = entryError(source);
    expect(error.file).toBe("en/sample.md");
    expect(error.field).toBe(field);
    expect(error.message).toContain(`en/sample.md: ${field}:`);
  });

  it("rejects cross-entry problems: unknown related ids, unknown rules, rules without an entry", () => {
    const codes = RULES.map((rule) => rule.code);
    const sources = knowledgeSources();
    const broken = sources.map((file) =>
      file.path === "en/is-vs-eq.md" ? { ...file, text: file.text.replace(/related: .*/, "related: [no-such-entry]") } : file,
    );
    expect(() => compileKnowledge(broken, codes)).toThrow(/en\/is-vs-eq\.md: related: no entry "no-such-entry"/);
    expect(() => compileKnowledge(sources, [...codes, "PYM999"])).toThrow(/no entry explains rule PYM999/);
    // Every language's copy, since translations must list the same rules as the English entry.
    const withoutRule = sources.map((file) =>
      file.path.endsWith("/is-vs-eq.md") ? { ...file, text: file.text.replace(/^rules: \[PYM001\]$/m, "rules: []") } : file,
    );
    expect(withoutRule).not.toEqual(sources);
    expect(() => compileKnowledge(withoutRule, codes)).toThrow(/no entry explains rule PYM001/);
  });
});

describe("the knowledge base", () => {
  let analyzer: TestAnalyzer;
  beforeAll(async () => {
    analyzer = new TestAnalyzer(await loadLanguage());
  });

  const entries = loadEntries();

  it("compiles, and every rule is explained by an entry", () => {
    const explained = new Set(entries.flatMap((entry) => entry.rules));
    for (const rule of RULES) {
      expect(explained.has(rule.code), rule.code).toBe(true);
      expect(entries.some((entry) => entry.id === rule.knowledge), rule.knowledge).toBe(true);
    }
  });

  for (const entry of entries.filter((candidate) => candidate.rules.length > 0)) {
    it(`${entry.locale}/${entry.id}: its Example triggers ${entry.rules.join(", ")} and its Use instead triggers nothing`, () => {
      const exampleCodes = new Set(analyzer.findings(entry.sections.exampleCode).map((finding) => finding.code));
      for (const code of entry.rules) expect(exampleCodes.has(code), `Example should show ${code}`).toBe(true);
      expect(analyzer.findings(entry.sections.useInsteadCode)).toEqual([]);
    });
  }

  it("links only to https documentation", () => {
    for (const entry of entries) for (const link of entry.links) expect(link).toMatch(/^https:\/\//);
  });
});
