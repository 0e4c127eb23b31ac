// What the playground's query benchmarks share (gui-local.js over files, gui-postgres.js over
// PostgreSQL, gui-query.js over the engine alone): the rows and the query, so their figures compare.

/** The timed query: a filter, a derived metric and a Pareto front of 2 objectives, 500 rows back. */
export const QUERY = {
  selection: { tags: ['bench'] },
  derived: 'eff = Result / Result_Power',
  filter: 'Accuracy > 75',
  pareto: {
    objectives: [
      { key: 'eff', goal: 'max' },
      { key: 'Accuracy', goal: 'max' },
    ],
  },
  limit: 500,
};

/** Result `k`, like an MLPerf importer's: the keys the query reads, and some text. */
export function resultOf(k) {
  return {
    uid: `r${String(k).padStart(15, '0')}`,
    Organization: `org${k % 17}`,
    Model: ['resnet50', 'bert-99', 'gptj-99', 'retinanet', 'llama2-70b'][k % 5],
    Scenario: k % 2 ? 'Offline' : 'Server',
    SystemName: `system-${k % 97}`,
    framework: k % 3 ? 'pytorch' : 'onnxruntime',
    Result: 100 + ((k * 7919) % 100_000) / 10,
    Result_Units: 'samples/s',
    Result_Power: 50 + ((k * 104_729) % 4000) / 10,
    Accuracy: 50 + ((k * 31) % 5000) / 100,
    version: `v${4 + (k % 3)}.0`,
  };
}
