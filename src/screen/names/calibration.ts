/**
 * Calibration of the raw name similarity into a match probability: a logistic curve
 * p = 1 / (1 + exp(-(A·raw + B))) fitted by `scripts/names-eval.ts --fit` on the training half
 * (even rows) of the labelled set `test/vectors/names/eval.csv`; the eval reports reliability
 * on the other half. Re-fit when the matcher changes.
 */
export const CALIBRATION = { a: 12.9, b: -8.83 } as const;

/** Default threshold on the calibrated score: a reported hit is more likely a match than not. */
export const DEFAULT_THRESHOLD = 0.5;

/** Calibrated score in [0,1] from a raw similarity. */
export function calibrate(raw: number): number {
  if (raw <= 0) return 0;
  if (raw >= 1 && CALIBRATION.a * 1 + CALIBRATION.b > 30) return 1;
  const p = 1 / (1 + Math.exp(-(CALIBRATION.a * raw + CALIBRATION.b)));
  return Math.round(p * 10000) / 10000;
}
