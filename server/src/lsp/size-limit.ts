import { fillTemplate, type Locale, type LocalizedText } from "../i18n/locale";

/**
 * Documents larger than this (in UTF-8 bytes) are not parsed: parsing and analysing 5 MB already
 * take seconds in WebAssembly, and 50 MB would take a minute and gigabytes of WebAssembly memory
 * that is never given back. Set by the `maxFileSize` initialization option and the
 * `pythonMentor.maxFileSize` setting.
 */
export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

/** A valid size limit from a setting (a positive number of bytes), or undefined. */
export function maxFileSizeSetting(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}

const SKIP_MESSAGE: LocalizedText = {
  en: "Python Mentor is not checking {file} ({size}): it is larger than the {limit} set by pythonMentor.maxFileSize. It will check it again once it is smaller.",
  ko: "Python Mentor가 {file}({size}) 파일을 검사하지 않습니다. pythonMentor.maxFileSize로 정한 {limit}보다 큽니다. 파일이 작아지면 다시 검사합니다.",
  "zh-cn": "Python Mentor 未检查 {file}（{size}）：它超过了 pythonMentor.maxFileSize 设定的 {limit}。文件变小后会重新检查。",
};

/** What the user reads, once per open document, when a file is over the limit. */
export function skipMessage(uri: string, bytes: number, limit: number, locale: Locale): string {
  return fillTemplate(SKIP_MESSAGE[locale] || SKIP_MESSAGE.en, { file: fileName(uri), size: formatBytes(bytes), limit: formatBytes(limit) });
}

function fileName(uri: string): string {
  const last = uri.slice(uri.lastIndexOf("/") + 1) || uri;
  try {
    return decodeURIComponent(last);
  } catch {
    // Not valid percent-encoding: show it as it came.
    return last;
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}

/**
 * What each run of non-ASCII UTF-16 code units adds to a one-byte-per-unit count: 1 for U+0080 to
 * U+07FF (2 bytes), 2 for a surrogate pair (4 bytes for 2 units), 2 for the rest of the BMP and a
 * lone surrogate (3 bytes; encoders write it as U+FFFD).
 */
const NON_ASCII = /[\u0080-\u07ff]|[\ud800-\udbff][\udc00-\udfff]|[\u0800-\uffff]/g;

/**
 * The UTF-8 size of `text` in bytes, or the first count past `stopAbove` when it gets there.
 * A regular expression skips ASCII at native speed: 50 MB of Python are counted in a few
 * milliseconds, where a loop over the code units takes most of a second.
 */
export function utf8Length(text: string, stopAbove = Infinity): number {
  let bytes = text.length;
  const nonAscii = new RegExp(NON_ASCII);
  for (let match = nonAscii.exec(text); match && bytes <= stopAbove; match = nonAscii.exec(text)) {
    bytes += match[0].length === 2 || match[0].charCodeAt(0) >= 0x800 ? 2 : 1;
  }
  return bytes;
}

/**
 * Whether `text` takes more than `limit` bytes in UTF-8. Every UTF-16 code unit takes one to
 * three bytes (a surrogate pair, two units, takes four), so the length alone settles most cases.
 */
export function utf8LengthOver(text: string, limit: number): boolean {
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  return utf8Length(text, limit) > limit;
}
