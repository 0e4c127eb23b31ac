// cm-run.json: the provenance of a run (host, cm version, git commit, env given, the scripts a
// `cm run script --repro` step resolved) and how it went. Written atomically at the start and
// again at the end; a rerun or resume adds a session rather than replacing what was there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dict } from '../../core/merge.js';
import { isDict } from '../../core/merge.js';
import { writeFileAtomic } from '../../db/atomic-file.js';
import type { CmContext } from '../context.js';
import type { RunMode } from './choose-run.js';
import { runProvenance, scriptsOfOutput } from './provenance.js';
import { RUN_RECORD_FILE, isoLocal, nowMs } from './run-folder.js';
import type { SweepInput } from './sweep-input.js';
import type { SweepTally } from './sweep-tally.js';

export class RunRecord {
  readonly file: string;
  #record: Dict;
  #session: Dict;

  constructor(
    runDir: string,
    o: { ctx: CmContext; env: Record<string, string>; mode: RunMode; sweep: SweepInput },
  ) {
    this.file = join(runDir, RUN_RECORD_FILE);
    let previous: Dict = {};
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      if (isDict(parsed)) previous = parsed;
    } catch {
      previous = {};
    }
    const sessions = Array.isArray(previous['sessions']) ? previous['sessions'] : [];
    this.#session = {
      mode: o.mode,
      started_at: isoLocal(nowMs()),
      executor: o.sweep.executor,
      parallel: o.sweep.parallel,
      repeat: o.sweep.repeat,
    };
    this.#record = {
      ...previous,
      ...runProvenance({ cwd: o.ctx.cwd, cmVersion: o.ctx.version, env: o.env }),
      sessions: [...sessions, this.#session],
    };
    this.#write();
  }

  /** The scripts, variations and versions a `cm run script --repro` step resolved (first seen kept). */
  noteOutput(output: Record<string, unknown>): void {
    if (this.#record['scripts'] !== undefined) return;
    const scripts = scriptsOfOutput(output);
    if (scripts === undefined) return;
    this.#record['scripts'] = scripts;
    this.#write();
  }

  finish(tally: SweepTally, summary: Dict | undefined): void {
    this.#session['finished_at'] = isoLocal(nowMs());
    this.#session['steps'] = tally.done;
    this.#session['failed'] = tally.failed.map((f) => ({
      step: f.stepNo,
      uid: f.uid,
      exit_code: f.exitCode,
    }));
    if (tally.interrupted) this.#session['interrupted'] = tally.interrupted;
    if (summary) this.#session['summary'] = summary;
    this.#write();
  }

  #write(): void {
    writeFileAtomic(this.file, JSON.stringify(this.#record, null, 2) + '\n');
  }
}
