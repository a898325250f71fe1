import { CONFIG_LANGUAGES, SEVERITIES } from "./pyproject";

/**
 * The `pythonMentor.*` settings the server understands, as data: each key's JSON type, allowed
 * values and default. package.json's `contributes.configuration` must say the same
 * (tests/package/settings-schema.test.ts fails when they drift apart), and the server reads
 * settings by this table.
 */
export interface SettingSchema {
  type: "boolean" | "string" | "integer" | "array" | "object";
  default: unknown;
  enum?: readonly string[];
  /** For arrays: the type of each item. */
  items?: { type: "string" };
  /** For objects: what each value must be. */
  additionalProperties?: { type: "string"; enum: readonly string[] };
}

export const SETTINGS_SCHEMA = {
  "pythonMentor.enable": { type: "boolean", default: true },
  "pythonMentor.trace.server": { type: "string", enum: ["off", "messages", "verbose"], default: "off" },
  "pythonMentor.language": { type: "string", enum: CONFIG_LANGUAGES, default: "auto" },
  "pythonMentor.maxFileSize": { type: "integer", default: 5 * 1024 * 1024 },
  "pythonMentor.select": { type: "array", items: { type: "string" }, default: [] },
  "pythonMentor.ignore": { type: "array", items: { type: "string" }, default: [] },
  "pythonMentor.severity": { type: "object", additionalProperties: { type: "string", enum: SEVERITIES }, default: {} },
  "pythonMentor.hover.enable": { type: "boolean", default: true },
  "pythonMentor.diagnostics.enable": { type: "boolean", default: true },
} as const satisfies Record<string, SettingSchema>;

export type SettingKey = keyof typeof SETTINGS_SCHEMA;
