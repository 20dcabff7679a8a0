/**
 * "Did you mean …?" — the candidate closest to `value` by optimal-string-alignment distance, when it is
 * close enough to be a plausible typo (at most a third of the length, at least 1, at most 3 edits).
 *
 * @example didYouMean('text_embeding', ['text_embedding', 'rerank']) // 'text_embedding'
 */
export function didYouMean(value: string, candidates: readonly string[]): string | undefined {
  const needle = value.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(needle.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === value) continue;
    const target = candidate.toLowerCase();
    let distance = editDistance(needle, target);
    // A misspelt prefix of a longer name ("modle" for "model_id") counts as close, a little less so.
    if (needle.length >= 4 && target.length > needle.length) {
      distance = Math.min(distance, editDistance(needle, target.slice(0, needle.length)) + 0.5);
    }
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= limit + 0.5 ? best : undefined;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
