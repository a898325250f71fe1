import { performance } from "node:perf_hooks";
import { Analyzer } from "../server/src/analysis/analyzer";
import { parseText } from "../server/src/parse/document-tree";
import { createParser } from "../server/src/parse/python-parser";
import { RULES } from "../server/src/rules/registry";
import type { Rule } from "../server/src/rules/rule";
import type { BenchCase, CaseResult, Row } from "./case";

/**
 * Each rule's share of the rule time over the corpus: every rule's `check` is timed inside one
 * whole-file analysis per file, so the engine's own work (units, the model's folds, captures) is
 * what is left between them. No rule should take over 15% of the rules' time.
 */
export const ruleShareCase: BenchCase = {
  name: "rules",
  description: "time per rule over the corpus: the top five rules' share of all rule time",
  async run(ctx): Promise<CaseResult> {
    const language = await ctx.language();
    const spent = new Map<string, number[]>();
    const timed: Rule[] = RULES.map((rule) => ({
      ...rule,
      check(ruleContext) {
        const start = performance.now();
        try {
          return rule.check(ruleContext);
        } finally {
          const list = spent.get(rule.code) ?? [];
          list.push(performance.now() - start);
          spent.set(rule.code, list);
        }
      },
    }));
    const analyzer = new Analyzer(language, timed);
    const parser = createParser(language);
    let analysisMs = 0;
    const totals = new Map<string, number>();
    for (let run = 0; run < ctx.runs; run++) {
      spent.clear();
      for (const file of ctx.corpus().files) {
        const tree = parseText(parser, file.text);
        const start = performance.now();
        try {
          analyzer.analyze(tree, file.text);
        } finally {
          analysisMs += performance.now() - start;
          tree.delete();
        }
      }
      for (const [code, list] of spent) totals.set(code, (totals.get(code) ?? 0) + list.reduce((a, b) => a + b, 0));
      ctx.log(`  run ${run + 1}/${ctx.runs}: ${[...spent.values()].flat().reduce((a, b) => a + b, 0).toFixed(0)} ms in rules`);
    }
    analyzer.dispose();
    parser.delete();
    const ruleMs = [...totals.values()].reduce((a, b) => a + b, 0);
    const ranked = [...totals].sort((a, b) => b[1] - a[1]);
    const rows: Row[] = [
      { measure: "analysis (engine + rules, parse excluded), per run", unit: "s", median: analysisMs / ctx.runs / 1000 },
      { measure: "  of which in rules' check", unit: "s", median: ruleMs / ctx.runs / 1000 },
    ];
    for (const [i, [code, ms]] of ranked.slice(0, 5).entries()) {
      const name = RULES.find((rule) => rule.code === code)?.name ?? code;
      rows.push({
        measure: `${i + 1}. ${code} ${name}: share of rule time`,
        unit: "x",
        median: ms / ruleMs,
        goals: i === 0 ? [{ on: "median", op: "<=", value: 0.15 }] : undefined,
      });
    }
    const data = { analysisMs, ruleMs, perRuleMs: Object.fromEntries(ranked.map(([code, ms]) => [code, Number((ms / ctx.runs).toFixed(1))])) };
    return { rows, notes: ["rules: shares are of the time spent inside rules' `check`, summed over the runs"], data };
  },
};
