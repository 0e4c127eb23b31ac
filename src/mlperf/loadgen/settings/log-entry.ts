// The detail-log entries that settings code produces instead of throwing: the configuration errors
// and warnings LoadGen logs (error_invalid_config ...). The log writer serialises them.

/** Keys under which LoadGen logs problems found while reading or normalising settings. */
export type SettingsLogKey =
  'error_invalid_config' | 'error_invalid_test_settings' | 'warning_generic_message';

/** One error or warning line of the detail log; `message` is LoadGen's exact text. */
export interface SettingsLogEntry {
  key: SettingsLogKey;
  message: string;
}

/** True for entries the detail log marks `is_error` (they count as LoadGen errors). */
export function isErrorEntry(entry: SettingsLogEntry): boolean {
  return entry.key !== 'warning_generic_message';
}
