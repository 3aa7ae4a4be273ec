/** A formatter of UTC ms in the learner's chosen time zone (the system's until settings load). */
import { useCallback } from 'react';
import { useSettings } from '../settings/settingsStore';
import { formatDateTime } from '../shell/format';

export function useFormatTime(): (utcMs: number) => string {
  const timeZone = useSettings((s) => s.settings?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  return useCallback((utcMs: number) => formatDateTime(utcMs, timeZone), [timeZone]);
}
