/**
 * Overlapping two-character pieces of a name, for substring search that a trigram index cannot
 * serve: a two-character Chinese query like 餐饮 has no trigram. Letters are lower-cased and
 * white space removed, so the query and the stored name are cut the same way.
 */
export function normaliseForSearch(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u3000]+/g, '');
}

export function bigrams(s: string): string[] {
  const chars = [...normaliseForSearch(s)];
  if (chars.length < 2) return [];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add((chars[i] as string) + (chars[i + 1] as string));
  return [...out];
}
