/** Logistic sigmoid `σ(z) = 1 / (1 + e^(−z))`, stable for large |z| (never computes `e^z` for z > 0). */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}
