export interface WordChange {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/**
 * Word-level differences between two texts (longest common subsequence over words and the spaces
 * between them), merged into runs. Sections are short, so the quadratic table is fine; very long
 * texts fall back to "all removed, all added".
 */
export const diffWords = (before: string, after: string): WordChange[] => {
  const a = before.split(/(\s+)/).filter((token) => token !== '');
  const b = after.split(/(\s+)/).filter((token) => token !== '');
  if (a.length * b.length > 4_000_000) {
    return merge([...(before ? [{ kind: 'removed' as const, text: before }] : []), ...(after ? [{ kind: 'added' as const, text: after }] : [])]);
  }
  const rows = a.length + 1;
  const columns = b.length + 1;
  const table = new Uint32Array(rows * columns);
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      table[i * columns + j] = a[i] === b[j] ? (table[(i + 1) * columns + j + 1] ?? 0) + 1 : Math.max(table[(i + 1) * columns + j] ?? 0, table[i * columns + j + 1] ?? 0);
    }
  }
  const changes: WordChange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      changes.push({ kind: 'same', text: a[i] as string });
      i += 1;
      j += 1;
    } else if ((table[(i + 1) * columns + j] ?? 0) >= (table[i * columns + j + 1] ?? 0)) {
      changes.push({ kind: 'removed', text: a[i] as string });
      i += 1;
    } else {
      changes.push({ kind: 'added', text: b[j] as string });
      j += 1;
    }
  }
  for (; i < a.length; i += 1) {
    changes.push({ kind: 'removed', text: a[i] as string });
  }
  for (; j < b.length; j += 1) {
    changes.push({ kind: 'added', text: b[j] as string });
  }
  return merge(changes);
};

const merge = (changes: WordChange[]): WordChange[] => {
  const merged: WordChange[] = [];
  for (const change of changes) {
    const last = merged.at(-1);
    if (last && last.kind === change.kind) {
      last.text += change.text;
    } else {
      merged.push({ ...change });
    }
  }
  return merged;
};
