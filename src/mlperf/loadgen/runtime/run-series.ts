// One series of queries (a loadable set, spec §1.2-§1.6, §2.6): issue them as the scenario wants
// — SingleStream/MultiStream one at a time, each after the previous completed; Server at its
// Poisson-scheduled times (late queries go at once, never dropped); Offline all in one — stop where
// LoadGen stops (the minimums met, max query count or duration, too many outstanding), flush, and
// wait for every completion.
import type { QuerySample, SystemUnderTest } from './api.js';
import { nowNs, prepareClock, sleepUntil } from './clock.js';
import { Completions, type InFlightQuery } from './completions.js';
import { settleHeap } from './settle-heap.js';

import type { Scenario } from '../settings/test-settings.js';

export type { Scenario };

export interface PlannedSample {
  index: number;
  seqId: number;
  /** Whether its response goes to the accuracy log. */
  logged: boolean;
}

export interface PlannedQuery {
  /** From the start of the series (Server's schedule; nominal elsewhere). */
  scheduledNs: bigint;
  samples: PlannedSample[];
}

export interface SeriesPlan {
  scenario: Scenario;
  accuracy: boolean;
  queries: PlannedQuery[];
  minQueryCount: number;
  /** The natural end: min_query_count queries and this long since the start (0 for Offline). */
  targetDurationNs: bigint;
  /** 0: no limit. */
  maxQueryCount: number;
  maxDurationNs: bigint;
  /** Server: 0 = no limit. */
  maxAsyncQueries: number;
}

export interface SeriesResult {
  startNs: bigint;
  issuedQueries: number;
  sampleLatenciesNs: bigint[];
  /** MultiStream: per query, until its last sample completed. */
  queryLatenciesNs: bigint[];
  /** From the start: when the last issued query was issued / scheduled, and when it completed. */
  lastIssueNs: bigint;
  lastScheduledNs: bigint;
  lastQueryDoneNs: bigint;
  maxLatencyNs: bigint;
  completions: Completions;
  /** error_runtime texts of the issue loop ("IssueQueryThread 0 Ending early: ..."). */
  errors: string[];
  /** Performance: the min query count and duration were met ("Ending naturally"). */
  endedNaturally: boolean;
  /** The wall clock (ms since 1970) when issuing started, and when all had completed (from the start). */
  startWallMs: number;
  allDoneNs: bigint;
  /** Server: how late each query was issued after its scheduled time. */
  issueDelaysNs: bigint[];
}

const RAN_OUT =
  'Ending early: Ran out of generated queries to issue before the minimum query count and test duration were reached. Please update the relevant expected latency or target qps in the TestSettings so they are more accurate.';

/** The samples of a planned query as issued: response ids are the sample sequence ids + 1. */
function samplesOf(q: PlannedQuery): QuerySample[] {
  return q.samples.map((s) => ({ id: s.seqId + 1, index: s.index }));
}

/** Why issuing stops after this query, if it does (performance mode, after the natural end). */
function stopReason(plan: SeriesPlan, issued: number, durationNs: bigint): string | undefined {
  if (plan.maxQueryCount > 0 && issued >= plan.maxQueryCount)
    return `IssueQueryThread 0 Ending early: Max query count reached. query_count ${issued}`;
  if (plan.maxDurationNs > 0n && durationNs > plan.maxDurationNs)
    return `IssueQueryThread 0 Ending early: Max test duration reached. duration_ns ${durationNs}`;
  return undefined;
}

/** A query ready to issue: its in-flight record, its samples registered for completion. */
function prepare(
  q: PlannedQuery,
  completions: Completions,
): { inFlight: InFlightQuery; samples: QuerySample[] } {
  const inFlight: InFlightQuery = { scheduledNs: 0n, remaining: q.samples.length };
  for (const s of q.samples) completions.add(s.seqId + 1, inFlight, s.seqId, s.index, s.logged);
  return { inFlight, samples: samplesOf(q) };
}

export async function runSeries(
  sut: SystemUnderTest,
  plan: SeriesPlan,
  completions: Completions,
): Promise<SeriesResult> {
  const errors: string[] = [];
  const queries: InFlightQuery[] = [];
  settleHeap();
  if (plan.scenario === 'Server') {
    prepareClock();
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  // The completions of the whole test: this series' part starts here.
  const firstLatency = completions.sampleLatenciesNs.length;
  const doneBefore = completions.queriesDone;
  // Offline's one query is built before the clock starts, as LoadGen builds its queries.
  const offline =
    plan.scenario === 'Offline' && plan.queries[0]
      ? prepare(plan.queries[0], completions)
      : undefined;
  const startWallMs = Date.now();
  const startNs = nowNs();
  let lastIssueNs = 0n;
  let lastScheduledNs = 0n;
  let issued = 0;
  let endedNaturally = false;
  const paced = plan.scenario === 'SingleStream' || plan.scenario === 'MultiStream';
  const issueDelaysNs: bigint[] = [];
  for (const q of plan.queries) {
    if (plan.scenario === 'Server') await sleepUntil(startNs + q.scheduledNs);
    const scheduled =
      plan.scenario === 'Server'
        ? startNs + q.scheduledNs
        : plan.scenario === 'Offline'
          ? startNs
          : nowNs();
    const { inFlight, samples } = offline ?? prepare(q, completions);
    inFlight.scheduledNs = scheduled;
    queries.push(inFlight);
    const issuedAt =
      plan.scenario === 'Offline' ? startNs : scheduled > nowNs() ? scheduled : nowNs();
    if (plan.scenario === 'Server') issueDelaysNs.push(nowNs() - scheduled);
    sut.issueQuery(samples);
    issued++;
    lastIssueNs = (paced ? scheduled : issuedAt) - startNs;
    lastScheduledNs = scheduled - startNs;
    if (!plan.accuracy) {
      // LoadGen's order: too many outstanding (Server) or the natural end (the others), then
      // the max query count, then the max duration.
      if (plan.scenario === 'Server') {
        const outstanding = issued - (completions.queriesDone - doneBefore);
        if (plan.maxAsyncQueries > 0 && outstanding > plan.maxAsyncQueries) {
          errors.push(
            `IssueQueryThread 0 Ending early: Too many outstanding queries. issued ${issued} outstanding ${outstanding}`,
          );
          break;
        }
      } else if (issued >= plan.minQueryCount && lastIssueNs >= plan.targetDurationNs) {
        endedNaturally = true;
        if (paced) await completions.queryDone(inFlight);
        break;
      }
      const stop = stopReason(plan, issued, lastIssueNs);
      if (stop) {
        errors.push(stop);
        break;
      }
    }
    if (paced) await completions.queryDone(inFlight);
  }
  if (!plan.accuracy && plan.scenario !== 'Server' && !endedNaturally && errors.length === 0)
    errors.push(RAN_OUT);
  sut.flushQueries();
  await completions.allDone();
  const endNs = nowNs();
  const last = queries[queries.length - 1];
  const sampleLatenciesNs = completions.sampleLatenciesNs.slice(firstLatency);
  let maxLatencyNs = 0n;
  for (const l of sampleLatenciesNs) if (l > maxLatencyNs) maxLatencyNs = l;
  return {
    startNs,
    issuedQueries: issued,
    sampleLatenciesNs,
    queryLatenciesNs: queries.map((q) => q.latencyNs ?? 0n),
    lastIssueNs,
    lastScheduledNs,
    lastQueryDoneNs: last?.doneAtNs !== undefined ? last.doneAtNs - startNs : 0n,
    maxLatencyNs,
    completions,
    errors,
    endedNaturally,
    issueDelaysNs,
    startWallMs,
    allDoneNs: endNs - startNs,
  };
}
