// From what a performance series recorded to LoadGen's verdict: early stopping per scenario (§3),
// then the results and validity (§1.7), as the summary and the detail log show them.
import {
  countOverLatency,
  multiStreamEarlyStopping,
  serverEarlyStopping,
  singleStreamEarlyStopping,
} from '../early-stopping.js';
import { summarizeRun, type PerformanceResult } from '../results/performance-result.js';
import type { EarlyStoppingOutcome, RunRecord } from '../results/run-record.js';
import type { EffectiveSettings } from '../settings/index.js';
import type { SeriesResult } from './run-series.js';

const ascending = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

function earlyStoppingOf(e: EffectiveSettings, r: SeriesResult): EarlyStoppingOutcome {
  const lines = (text: string): string[] => text.split('\n');
  switch (e.scenario) {
    case 'SingleStream': {
      const es = singleStreamEarlyStopping({
        queriesIssued: r.issuedQueries,
        sortedLatenciesNs: [...r.sampleLatenciesNs].sort(ascending),
        percentile: e.targetLatencyPercentile,
      });
      return {
        isMet: es.isMet,
        lines: lines(es.recommendation),
        latencySsNs: es.latencySsNs,
        latencyMsNs: es.latencyMsNs,
      };
    }
    case 'MultiStream': {
      const es = multiStreamEarlyStopping({
        queriesIssued: r.issuedQueries,
        sortedLatenciesNs: [...r.queryLatenciesNs].sort(ascending),
        percentile: e.targetLatencyPercentile,
      });
      return { isMet: es.isMet, lines: lines(es.recommendation), latencyMsNs: es.latencyMsNs };
    }
    case 'Server': {
      const es = serverEarlyStopping({
        queriesIssued: r.issuedQueries,
        overLatencyCount: countOverLatency(r.sampleLatenciesNs, e.targetLatencyNs),
        percentile: e.targetLatencyPercentile,
      });
      return { isMet: es.isMet, lines: lines(es.recommendation) };
    }
    case 'Offline':
      return { isMet: true, lines: [] };
    default: {
      const never: never = e.scenario;
      throw new Error(`unknown scenario ${String(never)}`);
    }
  }
}

export function performanceReport(e: EffectiveSettings, r: SeriesResult): PerformanceResult {
  const record: RunRecord = {
    sampleLatenciesNs: r.sampleLatenciesNs,
    queryLatenciesNs: e.scenario === 'MultiStream' ? r.queryLatenciesNs : [],
    queriesIssued: r.issuedQueries,
    maxLatencyNs: r.maxLatencyNs,
    finalQueryScheduledNs: r.lastScheduledNs,
    finalQueryIssuedNs: r.lastIssueNs,
    finalQueryAllSamplesDoneNs: r.lastQueryDoneNs,
  };
  return summarizeRun(
    record,
    {
      scenario: e.scenario,
      targetLatencyNs: e.targetLatencyNs,
      targetLatencyPercentile: e.targetLatencyPercentile,
      minDurationMs: BigInt(e.minDurationMs),
      minQueryCount: e.minQueryCount,
      minSampleCount: e.minSampleCount,
    },
    earlyStoppingOf(e, r),
  );
}
