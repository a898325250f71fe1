import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { SETTINGS_SCHEMA, type SettingSchema } from "../../server/src/config/settings-schema";
import { ROOT } from "../helpers/runtime";

/**
 * The settings VS Code offers (package.json's contributes.configuration) and the ones the server
 * reads (server/src/config/settings-schema.ts) must be the same keys, with the same types, allowed
 * values and defaults: a setting the user can change but the server ignores, or a default that
 * differs between the two, is a bug no other test would see.
 */
const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
const properties: Record<string, Record<string, unknown>> = manifest.contributes.configuration.properties;

/** The parts of a setting both sides must agree on. */
function essentials(setting: Partial<SettingSchema>) {
  return {
    type: setting.type,
    default: setting.default,
    enum: setting.enum ? [...setting.enum] : undefined,
    items: setting.items,
    additionalProperties: setting.additionalProperties
      ? { ...setting.additionalProperties, enum: [...setting.additionalProperties.enum] }
      : undefined,
  };
}

describe("package.json's settings and the server's settings schema", () => {
  it("have the same keys", () => {
    expect(Object.keys(properties).sort()).toEqual(Object.keys(SETTINGS_SCHEMA).sort());
  });

  for (const [key, schema] of Object.entries(SETTINGS_SCHEMA)) {
    it(`agree on ${key}: type, allowed values, default`, () => {
      expect(properties[key], `${key} is missing from package.json`).toBeDefined();
      expect(essentials(properties[key] as Partial<SettingSchema>)).toEqual(essentials(schema as SettingSchema));
    });
  }

  it("describe every setting, and every rule setting says how it relates to pyproject.toml", () => {
    for (const [key, setting] of Object.entries(properties)) {
      const text = String(setting.markdownDescription ?? setting.description ?? "");
      expect(text.length, key).toBeGreaterThan(20);
      if (["pythonMentor.select", "pythonMentor.ignore", "pythonMentor.severity", "pythonMentor.language"].includes(key)) expect(text, key).toContain("pyproject.toml");
    }
  });
});
