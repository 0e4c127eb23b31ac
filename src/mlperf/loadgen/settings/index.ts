// LoadGen's settings: requested settings and their defaults, config files (mlperf.conf, user.conf,
// audit.config), the effective settings of a run and their detail-log entries.

export { startTestSettings, AUDIT_CONFIG_WARNING } from './audit-config.js';
export { parseConfText, lookupConf, type ConfFile } from './conf-file.js';
export { effectiveSettings, type EffectiveSettings, type QslCounts } from './effective-settings.js';
export {
  fromConfig,
  loadUserConfig,
  unreadableConfigEntry,
  type ConfigResult,
  type ConfKind,
  type UserConfState,
} from './from-config.js';
export { isErrorEntry, type SettingsLogEntry, type SettingsLogKey } from './log-entry.js';
export {
  DEFAULT_ROUND,
  MLPERF_CONF_V6_1,
  ROUND_SEEDS,
  isRound,
  mlperfConfText,
  type Round,
  type RoundSeeds,
} from './mlperf-conf.js';
export {
  settingsLogEntries,
  type SettingsLogKeyValue,
  type SettingsLogValue,
} from './settings-log-entries.js';
export {
  SCENARIOS,
  TEST_MODES,
  defaultLogSettings,
  defaultTestSettings,
  type LogSettings,
  type LoggingMode,
  type Scenario,
  type TestMode,
  type TestSettings,
} from './test-settings.js';
