// TEST01's non-deterministic check, as the submission checker applies it: when the sampled
// responses of the performance run differ from the accuracy run's, the accuracy of the sampled
// responses (compliance_accuracy.txt) must be within a tolerance of the accuracy run's on the same
// samples (baseline_accuracy.txt): |1 − baseline / compliance| × 100 ≤ 1 (0.1 for a "99.9" model).

/** The checker's accuracy pattern; the last matching line counts, 0 when none does. */
const ACCURACY_LINE = /^(?:\{"accuracy|accuracy)[": ]*=?\s*([\d.]+).*/;

/** The accuracy (percent) an accuracy script's output states, or 0. */
export function statedAccuracy(text: string): number {
  let value = 0;
  for (const line of text.split('\n')) {
    const m = ACCURACY_LINE.exec(line);
    if (m) value = Number(m[1]);
  }
  return Number.isFinite(value) ? value : 0;
}

/** The tolerance of `model` in percent (the checker's: 0.1 for a 99.9 % model, else 1). */
export function accuracyDeltaTolerance(model: string): number {
  return model.includes('99.9') ? 0.1 : 1;
}

export interface AccuracyDelta {
  baseline: number;
  compliance: number;
  /** |1 − baseline / compliance| × 100 (Infinity when either is 0). */
  deltaPercent: number;
  tolerance: number;
  isPassing: boolean;
}

/** The non-deterministic check of baseline_accuracy.txt against compliance_accuracy.txt. */
export function accuracyDelta(
  baselineText: string,
  complianceText: string,
  model: string,
): AccuracyDelta {
  const baseline = statedAccuracy(baselineText);
  const compliance = statedAccuracy(complianceText);
  const tolerance = accuracyDeltaTolerance(model);
  const deltaPercent =
    baseline === 0 || compliance === 0 ? Infinity : Math.abs(1 - baseline / compliance) * 100;
  return { baseline, compliance, deltaPercent, tolerance, isPassing: deltaPercent <= tolerance };
}
