import type { Need, Requirements } from '../../types.js';

function mergeNeed(a: Need | undefined, b: Need | undefined): Need | undefined {
  return a === 'required' || b === 'required' ? 'required' : (a ?? b);
}

/** Union of requirements: a field is `required` when any part requires it, else `optional` when any reads it. */
export function mergeRequirements(all: readonly Requirements[]): Requirements {
  const keys = ['embeddings', 'categories', 'popularity', 'historyEmbeddings', 'historyCategories'] as const;
  const merged: { -readonly [K in keyof Requirements]: Need } = {};
  for (const key of keys) {
    let need: Need | undefined;
    for (const requirements of all) need = mergeNeed(need, requirements[key]);
    if (need !== undefined) merged[key] = need;
  }
  return merged;
}

