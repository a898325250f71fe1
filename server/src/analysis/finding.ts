import type { PointRange } from "../parse/positions";

export type Severity = "error" | "warning" | "info" | "hint";

export interface TextEdit {
  range: PointRange;
  newText: string;
}

export interface Fix {
  /** Imperative, shown as the quick fix title: "Use ==". */
  title: string;
  edits: TextEdit[];
  /**
   * Safe fixes keep the program's meaning apart from the bug they remove; only they run in
   * fix-all. Unsafe ones (a class may overload `__eq__`, a signature changes) are offered one by one.
   */
  safe: boolean;
}

export interface Finding {
  code: string;
  /** The rule's name, such as "is-literal". */
  name: string;
  message: string;
  severity: Severity;
  range: PointRange;
  /** Id of the knowledge entry that explains it. */
  knowledge: string;
  fix?: Fix;
}
