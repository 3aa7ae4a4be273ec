/** Handlers of the settings feature: the host's store, with the time zone checked against the runtime's zone list. */
import { AppFailure } from '../../../../shared/errors';
import type { settingsContract } from '../../../../shared/ipc/features/settings';
import { isValidTimeZone } from '../../learner/calendar';
import type { SettingsStore } from '../../ports';
import type { FeatureHandlers } from '../handlers';

export function createSettingsHandlers(settings: SettingsStore) {
  return {
    'settings:get': () => settings.get(),
    'settings:set': (patch) => {
      if (patch.timeZone !== undefined && !isValidTimeZone(patch.timeZone)) {
        throw new AppFailure('invalid_input', `Time zone “${patch.timeZone.slice(0, 64)}” is not a known time zone: choose one from the list, such as Europe/Paris.`, {
          path: 'timeZone',
        });
      }
      return settings.set(patch);
    },
  } satisfies FeatureHandlers<typeof settingsContract>;
}
