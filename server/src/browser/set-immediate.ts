/**
 * `listen` waits for a burst of edits to end by re-queuing itself with `setImmediate`, which a
 * browser lacks. A message posted to our own channel runs as the next task, after the messages
 * already waiting (as `setImmediate` does in Node), without the clamping of nested `setTimeout`s.
 * Imported first by the worker entry, before anything that may call it.
 */
if (typeof globalThis.setImmediate !== "function") {
  const queue: Array<() => void> = [];
  const channel = new MessageChannel();
  // Node's MessagePort type has no `onmessage`; the browser's has, and it starts the port.
  (channel.port1 as unknown as { onmessage: () => void }).onmessage = () => queue.shift()?.();
  const shim = (callback: (...args: unknown[]) => void, ...args: unknown[]) => {
    queue.push(() => callback(...args));
    channel.port2.postMessage(null);
  };
  // Only the calling shape `listen` uses is provided; the returned handle is never cleared.
  (globalThis as { setImmediate: unknown }).setImmediate = shim;
}
