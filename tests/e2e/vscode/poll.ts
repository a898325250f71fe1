import { setTimeout as delay } from "node:timers/promises";

/**
 * Asks `probe` again and again until it returns a value other than undefined, or throws once
 * `timeoutMs` is over, saying what was awaited and what was seen last. The editor tests wait only
 * this way (never for a fixed time): a fast machine goes on at once, a slow one gets the deadline.
 */
export async function pollFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
  describeLast?: () => Promise<string> | string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    // The interval between two looks, not a wait for the condition itself.
    await delay(150);
  }
  const seen = describeLast ? `; last seen: ${await describeLast()}` : "";
  const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : "";
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen}${cause}`);
}
