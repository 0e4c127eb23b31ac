// Sequence ids of queries and samples, and each sample's accuracy-log draw: one generator lives
// for a whole StartTest call, so ids and draws continue across accuracy and performance series.

import { Mt19937 } from './random/mt19937.js';
import { generateCanonical } from './random/real.js';

/** Numbers queries and samples from 0 and draws one U[0,1) per sample from MT(5489). */
export class SequenceGenerator {
  private queryId = 0;
  private sampleId = 0;
  // LoadGen never reseeds this engine, so it always starts from the default seed.
  private readonly accuracyLogRng = new Mt19937();

  nextQueryId(): number {
    return this.queryId++;
  }

  nextSampleId(): number {
    return this.sampleId++;
  }

  /** The id the next sample will get. */
  get currentSampleId(): number {
    return this.sampleId;
  }

  /** The sample's value for accuracy-log sampling (§2.8). */
  nextAccuracyLogValue(): number {
    return generateCanonical(this.accuracyLogRng);
  }
}
