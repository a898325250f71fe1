import { readFileSync, statSync } from "node:fs";
import { decodePythonSource } from "../parse/source-encoding";

/** Larger files are refused: no hand-written Python file is this big, and generated ones are not for teaching. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** `encoding` is how the text was decoded: "utf-8", or the codec a coding declaration names. */
export type SourceRead = { ok: true; text: string; encoding?: string } | { ok: false; error: string };
export type BytesRead = { ok: true; bytes: Buffer } | { ok: false; error: string };

/** Reads a Python file as text, or says in plain words why it cannot be checked. */
export function readSource(file: string): SourceRead {
  const read = readSourceBytes(file);
  return read.ok ? decodeSource(read.bytes) : read;
}

/**
 * The file's bytes, refusing what is not a regular file or is too large. Kept apart from decoding
 * so the cache can look a file up by its bytes without paying to decode it.
 */
export function readSourceBytes(file: string): BytesRead {
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) return { ok: false, error: "is a directory" };
    // Reading a FIFO or a device could block forever or never end.
    if (!stat.isFile()) return { ok: false, error: "not a regular file" };
    if (stat.size > MAX_FILE_BYTES) {
      return { ok: false, error: `file too large (${(stat.size / 1048576).toFixed(1)} MiB; the limit is ${MAX_FILE_BYTES / 1048576} MiB)` };
    }
    return { ok: true, bytes: readFileSync(file) };
  } catch (error) {
    return { ok: false, error: describeIoError(error) };
  }
}

/** Source bytes as text, decoded as CPython would (PEP 263); refuses binary files and undecodable text. */
export function decodeSource(bytes: Uint8Array): SourceRead {
  const decoded = decodePythonSource(bytes);
  return decoded.ok ? { ok: true, text: decoded.text, encoding: decoded.encoding } : decoded;
}

export function describeIoError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
