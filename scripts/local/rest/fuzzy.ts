// The "Perhaps you meant …" hints: PostgREST asks a fuzzy set (Haskell `fuzzyset`, a port of fuzzyset.js) for the
// closest name — n-gram cosine similarity (3-grams, then 2-grams), re-scored by normalised Levenshtein distance.

const normalise = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}, ]+/gu, "");

function grams(value: string, size: number): Map<string, number> {
  const padded = `-${normalise(value)}-`.padEnd(size, "-");
  const out = new Map<string, number>();
  for (let i = 0; i + size <= padded.length; i++) {
    const g = padded.slice(i, i + size);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

const norm = (v: Map<string, number>) => Math.sqrt([...v.values()].reduce((a, n) => a + n * n, 0));

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

const similarity = (a: string, b: string) => {
  const [x, y] = [normalise(a), normalise(b)];
  const longest = Math.max(x.length, y.length);
  return longest === 0 ? 1 : 1 - levenshtein(x, y) / longest;
};

/** The best candidate scoring at least `minScore`, with its score. */
export function closest(
  candidates: string[],
  query: string,
  minScore = 0.33,
): { value: string; score: number } | undefined {
  for (const size of [3, 2]) {
    const q = grams(query, size);
    const scored = candidates
      .map((value) => {
        const c = grams(value, size);
        let dot = 0;
        for (const [g, n] of q) dot += n * (c.get(g) ?? 0);
        return { value, score: dot / (norm(q) * norm(c) || 1) };
      })
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, 50)
      .map(({ value }) => ({ value, score: similarity(query, value) }))
      .sort((a, b) => b.score - a.score);
    if (scored.length > 0) return scored[0].score >= minScore ? scored[0] : undefined;
  }
  return undefined;
}
