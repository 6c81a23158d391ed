/**
 * Whether a text is fit for the Chinese UI: it contains Chinese characters and no English phrase
 * (two Latin words in a row, such as "cannot be"). Single Latin tokens are allowed — codes,
 * units, names such as drand, USCC, application/json, U+0000, #N/A.
 */
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const ENGLISH_PHRASE = /[A-Za-z]{2,}[’']?[A-Za-z]*[\s,;:]+(?:[A-Za-z]{2,}|a|I)\b/;

export function hasCjk(s: string): boolean {
  return CJK.test(s);
}

/** The first English phrase in a text, if any (for test messages). */
export function englishPhrase(s: string): string | undefined {
  return ENGLISH_PHRASE.exec(s)?.[0];
}

export function isChineseText(s: string): boolean {
  return hasCjk(s) && englishPhrase(s) === undefined;
}
