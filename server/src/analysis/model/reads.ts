/**
 * What a computation read outside its own unit, so the engine can tell, on the next analysis,
 * whether its results still hold: rust-analyzer's salsa in miniature. A read is a key the engine
 * can evaluate again on a new file (`name:open`, `fold:closed-attributes`, `class-text`) and the
 * fingerprint it had; the results are reused while every key still gives the same fingerprint.
 * A computation that read something no key can name (rows of another unit, say) is volatile:
 * it is made afresh every time.
 */
export class ReadLog {
  readonly reads = new Map<string, string>();
  volatile = false;

  note(key: string, fingerprint: string): void {
    this.reads.set(key, fingerprint);
  }

  /** Takes in what a nested computation read (a query's reads are its callers' reads too). */
  absorb(other: ReadLog): void {
    for (const [key, fingerprint] of other.reads) this.reads.set(key, fingerprint);
    if (other.volatile) this.volatile = true;
  }
}

/** Keys whose value depends on which class the reading unit sits in. */
export function isClassRelative(key: string): boolean {
  return key.startsWith("class-");
}
