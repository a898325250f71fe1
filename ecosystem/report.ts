import { precision, type RuleComparison } from "./baseline";
import type { EcosystemFinding } from "./findings";

/** The least precision a rule may have on the baseline (issue 13). */
export const PRECISION_FLOOR = 0.95;

export interface ReportOptions {
  ruleNames: ReadonlyMap<string, string>;
  /** How many new, gone or false findings to list per rule; Infinity lists all. */
  listLimit: number;
}

/** The per-rule table, then the findings a reviewer should read: new, gone, and labelled false. */
export function formatReport(rules: readonly RuleComparison[], options: ReportOptions): string {
  const out: string[] = [];
  const header = ["rule", "name", "findings", "labelled", "false", "precision", "new", "gone"];
  const rows = rules
    .filter((r) => r.findings.length > 0 || r.gone.length > 0)
    .map((r) => {
      const p = precision(r);
      return [
        r.code,
        options.ruleNames.get(r.code) ?? "",
        String(r.findings.length),
        String(r.labelledTrue.length + r.labelledFalse.length),
        String(r.labelledFalse.length),
        p === undefined ? "-" : `${p.toFixed(3)}${p < PRECISION_FLOOR ? " (below 0.95)" : ""}`,
        r.added.length > 0 ? `+${r.added.length}` : "0",
        r.gone.length > 0 ? `-${r.gone.length}` : "0",
      ];
    });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const numeric = new Set([2, 3, 4, 6, 7]);
  const format = (cells: string[]) => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ").trimEnd();
  out.push(format(header));
  for (const [index, row] of rows.entries()) {
    out.push(format(row));
    const perProject = countByProject(rules.filter((r) => r.findings.length > 0 || r.gone.length > 0)[index].findings);
    if (perProject) out.push(`${" ".repeat(widths[0] + 2)}${perProject}`);
  }
  if (rows.length === 0) out.push("(no findings)");
  const total = rules.reduce((sum, r) => sum + r.findings.length, 0);
  const labelled = rules.reduce((sum, r) => sum + r.labelledTrue.length + r.labelledFalse.length, 0);
  const wrong = rules.reduce((sum, r) => sum + r.labelledFalse.length, 0);
  out.push("", `${total} findings; ${labelled} labelled, ${wrong} of them false.`);

  section(out, "New since the baseline (not labelled yet)", rules.flatMap((r) => r.added), options.listLimit, () => "");
  section(out, "Gone since the baseline", rules.flatMap((r) => r.gone), options.listLimit, (f) => ("label" in f && f.label ? `  [was labelled ${String(f.label)}]` : ""));
  section(out, "Still reported, labelled false", rules.flatMap((r) => r.labelledFalse), options.listLimit, (f) => ("reason" in f ? `\n      why false: ${String(f.reason)}` : ""));
  return `${out.join("\n")}\n`;
}

function countByProject(findings: readonly EcosystemFinding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.project, (counts.get(f.project) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([project, n]) => `${project} ${n}`).join(", ");
}

function section<T extends EcosystemFinding>(out: string[], title: string, findings: readonly T[], limit: number, suffix: (f: T) => string): void {
  if (findings.length === 0) return;
  out.push("", `${title} (${findings.length}):`);
  for (const f of findings.slice(0, limit)) out.push(`  ${f.code} ${f.project}/${f.path}:${f.row}:${f.column}  ${f.line}${suffix(f)}`);
  if (findings.length > limit) out.push(`  ... and ${findings.length - limit} more (--list all shows every one)`);
}
