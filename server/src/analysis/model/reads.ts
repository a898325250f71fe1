/**
 * What a computation read outside its own unit, so the engine can tell, on the next analysis,
 * whether its results still hold: rust-analyzer's salsa in miniature. A read is a key the engine
 * can evaluate again on a new file (`name:open`, `fold:closed-attributes`, `class-text`) and the
 * fingerprint it had; the results are reused while every key still gives the same fingerprint.
 * A computation that read something no key can name (rows of another unit, say) is volatile:
 * it is made afresh every time.
 */
export class ReadLog {
  private kept: Map<string, string> | undefined;
  volatile = false;

  /** Key -> fingerprint (most computations read nothing: the map is made on the first read). */
  get reads(): ReadonlyMap<string, string> {
    return this.kept ?? NOTHING;
  }

  note(key: string, fingerprint: string): void {
    (this.kept ??= new Map()).set(key, fingerprint);
  }
}

const NOTHING: ReadonlyMap<string, string> = new Map();

/** Keys whose value depends on which class the reading unit sits in. */
export function isClassRelative(key: string): boolean {
  return key.startsWith("class-");
}
