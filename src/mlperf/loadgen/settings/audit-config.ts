// What StartTest does to the requested settings before normalising them (spec §1.8): apply an
// audit.config found for a compliance test, then the obsolete test05 seed override.

import { fromConfig, type ConfigResult } from './from-config.js';
import type { SettingsLogEntry } from './log-entry.js';
import type { TestSettings } from './test-settings.js';

/** LoadGen's exact warning, which names audit.config whatever the file's path. */
export const AUDIT_CONFIG_WARNING =
  'Found Audit Config file (audit.config). Overriding TestSettings from audit.config file.';

const TEST05_WARNING = 'Test05 flag detected Overriding random seeds';

/**
 * The settings StartTest runs with. `auditConfigText` is the audit file's text when one exists
 * (undefined when none): it is applied with model `*` and the scenario's name, may set every key a
 * user.conf may, and its presence is logged as a warning.
 */
export function startTestSettings(
  requested: TestSettings,
  options: { auditConfigText?: string | undefined } = {},
): ConfigResult {
  const warnings: SettingsLogEntry[] = [];
  const errors: SettingsLogEntry[] = [];
  let settings = requested;
  let accepted = true;
  if (options.auditConfigText !== undefined) {
    warnings.push({ key: 'warning_generic_message', message: AUDIT_CONFIG_WARNING });
    // Scenario names have no spaces in the new logging format, so the name is used as it is.
    const audit = fromConfig(settings, options.auditConfigText, '*', settings.scenario, {
      kind: 'audit',
    });
    settings = audit.settings;
    errors.push(...audit.errors);
    accepted = audit.accepted;
  }
  if (settings.test05) {
    warnings.push({ key: 'warning_generic_message', message: TEST05_WARNING });
    settings = {
      ...settings,
      mode: 'PerformanceOnly',
      qslRngSeed: requested.test05QslRngSeed,
      sampleIndexRngSeed: requested.test05SampleIndexRngSeed,
      scheduleRngSeed: requested.test05ScheduleRngSeed,
    };
  }
  return { settings, errors, warnings, accepted };
}
