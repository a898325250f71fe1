import type { Locale, LocalizedText } from "./locale";
import type { SectionKey } from "../knowledge/entry";

/** Words the hover, the explain output and the CLI print around entries and findings. */
const UI = {
  Explanation: { en: "Explanation", ko: "설명", "zh-cn": "说明" },
  Example: { en: "Example", ko: "예제", "zh-cn": "示例" },
  Pitfall: { en: "Pitfall", ko: "함정", "zh-cn": "常见陷阱" },
  "Use instead": { en: "Use instead", ko: "대신 이렇게", "zh-cn": "推荐写法" },
  "What it does": { en: "What it does", ko: "검사하는 것", "zh-cn": "检查内容" },
  "Why it matters": { en: "Why it matters", ko: "왜 중요한가", "zh-cn": "为什么重要" },
  Links: { en: "Links", ko: "링크", "zh-cn": "链接" },
  Rules: { en: "Rules", ko: "규칙", "zh-cn": "规则" },
  seeAlso: { en: "See also", ko: "함께 보기", "zh-cn": "另见" },
  documentation: { en: "Python documentation", ko: "Python 문서", "zh-cn": "Python 文档" },
  fullEntry: { en: "Open the full entry", ko: "전체 항목 열기", "zh-cn": "打开完整条目" },
  learnMore: { en: "Learn more", ko: "더 알아보기", "zh-cn": "了解更多" },
  quickFix: { en: "Quick fix", ko: "빠른 수정", "zh-cn": "快速修复" },
  why: { en: "why", ko: "이유", "zh-cn": "原因" },
  fix: { en: "fix", ko: "수정", "zh-cn": "修复" },
  disableLine: { en: "Disable {code} for this line", ko: "이 줄에서 {code} 끄기", "zh-cn": "在此行禁用 {code}" },
  disableFile: { en: "Disable {code} for this file", ko: "이 파일에서 {code} 끄기", "zh-cn": "在此文件中禁用 {code}" },
  explain: { en: "Explain {code}", ko: "{code} 설명 보기", "zh-cn": "查看 {code} 的说明" },
  fixAllOfCode: { en: "Fix all {code} in this file", ko: "이 파일의 {code} 모두 수정", "zh-cn": "修复此文件中的所有 {code}" },
  fixAll: { en: "Fix all safe Python Mentor problems", ko: "Python Mentor의 안전한 수정 모두 적용", "zh-cn": "应用所有安全的 Python Mentor 修复" },
} satisfies Record<string, LocalizedText> & Record<SectionKey, LocalizedText>;

export type UiKey = keyof typeof UI;

export function uiText(key: UiKey, locale: Locale): string {
  return UI[key][locale] || UI[key].en;
}
