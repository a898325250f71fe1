import { DiagnosticSeverity, type Diagnostic } from "vscode-languageserver";
import type { Finding, Severity } from "../analysis/finding";
import type { KnowledgeBase } from "../knowledge/knowledge-base";
import { rangeToLsp } from "../parse/positions";

export const DIAGNOSTIC_SOURCE = "python-mentor";

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding, knowledge: KnowledgeBase): Diagnostic {
  const diagnostic: Diagnostic = {
    range: rangeToLsp(finding.range),
    severity: SEVERITIES[finding.severity],
    code: finding.code,
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
  const href = knowledge.get(finding.knowledge)?.links[0];
  if (href) diagnostic.codeDescription = { href };
  return diagnostic;
}
