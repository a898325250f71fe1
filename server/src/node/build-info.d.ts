// Made by scripts/build.mjs at build time: the package version and the knowledge base, compiled
// and validated from knowledge/**/*.md, so the bundle needs no files beside it but the wasm.
declare module "virtual:build-info" {
  import type { KnowledgeEntry } from "../knowledge/entry";
  export const version: string;
  export const entries: KnowledgeEntry[];
}
