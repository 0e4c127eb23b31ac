// MLPerf inference LoadGen in TypeScript (spec loadgen.md): the API a harness uses — startTest
// with a SUT and a QSL, querySamplesComplete, the settings and config files — and the synthetic
// SUT used to check it against the official LoadGen.
export type {
  QuerySample,
  QuerySampleLibrary,
  QuerySampleResponse,
  SystemUnderTest,
} from './runtime/api.js';
export { querySamplesComplete } from './runtime/active-test.js';
export { startTest, type StartTestOptions, type TestOutcome } from './runtime/start-test.js';
export { SyntheticQsl, SyntheticSut, float32Le } from './synthetic-sut.js';
export {
  defaultLogSettings,
  defaultTestSettings,
  fromConfig,
  loadUserConfig,
  mlperfConfText,
  type LogSettings,
  type Round,
  type Scenario,
  type TestMode,
  type TestSettings,
} from './settings/index.js';
export type { PerformanceResult } from './results/performance-result.js';
