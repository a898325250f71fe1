import type { Finding } from "../analysis/finding";
import type { KnowledgeBase } from "../knowledge/knowledge-base";
import { pointToCli } from "../parse/positions";
import type { FileResult } from "./check-files";

/** One finding in the JSON output (Ruff-like; rows and columns 1-based, columns in code points). */
export interface JsonFinding {
  code: string;
  name: string;
  message: string;
  severity: string;
  filename: string;
  location: { row: number; column: number };
  end_location: { row: number; column: number };
  fix: {
    message: string;
    /** Like Ruff: safe fixes run in fix-all; unsafe ones only one by one or with --unsafe-fixes. */
    applicability: "safe" | "unsafe";
    edits: { content: string; location: { row: number; column: number }; end_location: { row: number; column: number } }[];
  } | null;
  url: string | null;
}

export function toJsonFindings(files: readonly FileResult[], knowledge: KnowledgeBase): JsonFinding[] {
  return files.flatMap((file) => file.findings.map((finding) => toJsonFinding(file, finding, knowledge)));
}

function toJsonFinding(file: FileResult, finding: Finding, knowledge: KnowledgeBase): JsonFinding {
  return {
    code: finding.code,
    name: finding.name,
    message: finding.message,
    severity: finding.severity,
    filename: file.path,
    location: pointToCli(file.lines, finding.range.start),
    end_location: pointToCli(file.lines, finding.range.end),
    fix: finding.fix
      ? {
          message: finding.fix.title,
          applicability: finding.fix.safe ? "safe" : "unsafe",
          edits: finding.fix.edits.map((edit) => ({
            content: edit.newText,
            location: pointToCli(file.lines, edit.range.start),
            end_location: pointToCli(file.lines, edit.range.end),
          })),
        }
      : null,
    url: knowledge.get(finding.knowledge)?.links[0] ?? null,
  };
}

export function formatJson(files: readonly FileResult[], knowledge: KnowledgeBase): string {
  return JSON.stringify(toJsonFindings(files, knowledge), null, 2) + "\n";
}
