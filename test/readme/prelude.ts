/**
 * The names README snippets use without defining them: what a host application would already have
 * (its catalogue, candidates, a user, a scorer, labelled data). `readme.test.ts` gives a snippet
 * each of these names it uses and does not declare itself. Keep the values small and realistic;
 * a snippet must run to completion on them.
 */
export const allItems = [
  { id: 'm1', embedding: [0.1, 0.9, 0.0], categories: ['sci-fi'], popularity: 120 },
  { id: 'm2', embedding: [0.1, 0.8, 0.1], categories: ['sci-fi', 'action'], popularity: 80 },
  { id: 'm3', embedding: [0.9, 0.1, 0.2], categories: ['drama'], popularity: 15 },
];

export const candidates = [
  { id: 'm1', relevance: 0.92, embedding: [0.1, 0.9, 0.0], categories: ['sci-fi'], popularity: 120 },
  { id: 'm2', relevance: 0.9, embedding: [0.1, 0.8, 0.1], categories: ['sci-fi', 'action'], popularity: 80 },
  { id: 'm3', relevance: 0.55, embedding: [0.9, 0.1, 0.2], categories: ['drama'], popularity: 15 },
];

export const user = {
  id: 'u1',
  history: [
    { id: 'h1', title: 'Alien (1979)', categories: ['sci-fi', 'horror'], embedding: [0.2, 0.9, 0.1] },
    { id: 'h2', title: 'Heat (1995)', categories: ['action', 'crime'], embedding: [0.5, 0.5, 0.1] },
  ],
};

export const profile = { longTerm: ['sci-fi', 'action'], shortTerm: ['drama'], edges: ['documentary'] };

/** A scorer that answers at once: every pair gets 0.5. */
export const scorer = async (batch: readonly unknown[]): Promise<number[]> => batch.map(() => 0.5);

export const apiKey = 'sk-readme-test';
export const titles: Record<string, string> = { m1: 'Solaris', m2: 'Aliens', m3: 'Tokyo Story' };
export const genres: Record<string, string> = { m1: 'Sci-Fi', m2: 'Sci-Fi|Action', m3: 'Drama' };

// Labelled judge scores (both classes, raw scores in [0, 1]) and held-out calibrated ones.
export const rawScores = [0.1, 0.2, 0.35, 0.4, 0.55, 0.6, 0.7, 0.8, 0.9, 0.95];
export const humanLabels = [false, false, false, true, false, true, true, false, true, true];
export const heldOutCalibrated = [0.15, 0.3, 0.45, 0.6, 0.75, 0.9];
export const heldOutLabels = [false, false, true, false, true, true];
