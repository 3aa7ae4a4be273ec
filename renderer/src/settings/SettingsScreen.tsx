/** The Settings screen: theme, assistive mode, single-key shortcuts and time zone, then the sync server and account. */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { Settings } from '../../../shared/ipc/contract';
import { instructorToolsShown, useContentEditor } from '../content/instructorTools';
import { focusWrongField } from '../shell/fieldError';
import { ScreenHeading } from '../shell/ScreenHeading';
import { useShell } from '../shell/shellStore';
import { SyncSettings } from '../sync/SyncSettings';
import { ProviderSettings } from '../tutor/ProviderSettings';
import { applyToDocument, useSettings } from './settingsStore';
import { dailyLimitProblem, parseDailyLimit, StudyFields } from './StudyFields';

const themes: ReadonlyArray<{ value: Settings['theme']; label: string }> = [
  { value: 'system', label: 'Same as the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
  { value: 'high-contrast', label: 'High contrast' },
];

function timeZones(current: string): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  // Browsers list canonical zones only; keep UTC and whatever is saved selectable.
  return [...new Set(['UTC', current, ...zones])].sort();
}

export function SettingsScreen() {
  const settings = useSettings((s) => s.settings);
  const load = useSettings((s) => s.load);

  useEffect(() => {
    if (!settings) void load();
  }, [settings, load]);
  useEffect(() => {
    if (settings) useShell.getState().markScreenReady();
  }, [settings]);

  return (
    <>
      <ScreenHeading title="Settings">Settings</ScreenHeading>
      {settings ? <SettingsForm settings={settings} /> : <p>Loading your settings…</p>}
      <SyncSettings />
      <ProviderSettings />
    </>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
  const save = useSettings((s) => s.save);
  const saving = useSettings((s) => s.saving);
  const announce = useShell((s) => s.announce);
  const [draft, setDraftState] = useState<Settings>(settings);
  const [limitText, setLimitTextState] = useState(String(settings.dailyReviewLimit));
  const [status, setStatus] = useState('');
  // A change to the form: "Settings saved." no longer describes what it holds.
  const setDraft = (next: Settings) => {
    setDraftState(next);
    setStatus('');
  };
  const setLimitText = (text: string) => {
    setLimitTextState(text);
    setStatus('');
  };
  const zones = useMemo(() => timeZones(settings.timeZone), [settings.timeZone]);
  const previewing = draft.theme !== settings.theme;
  const isContentEditor = useContentEditor((s) => s.isContentEditor);
  const themeLabel = (theme: Settings['theme']) => themes.find((t) => t.value === theme)?.label ?? theme;

  // A chosen theme is previewed at once; only "Save settings" keeps it, and leaving the screen unsaved puts the saved one back.
  useEffect(() => {
    applyToDocument({ ...settings, theme: draft.theme });
  }, [settings, draft.theme]);
  useEffect(
    () => () => {
      const saved = useSettings.getState().settings;
      if (saved) applyToDocument(saved);
    },
    [],
  );

  const revertTheme = () => {
    setDraft({ ...draft, theme: settings.theme });
    document.querySelector<HTMLInputElement>(`input[name="theme"][value="${settings.theme}"]`)?.focus();
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    // A limit outside the contract's range is never sent, nor the rest of the form reported saved without it.
    const dailyReviewLimit = parseDailyLimit(limitText);
    if (dailyReviewLimit === null) return focusWrongField('daily-limit', dailyLimitProblem(settings.dailyReviewLimit));
    const saved = await save({ ...draft, dailyReviewLimit });
    if (saved) {
      setStatus('Settings saved.');
      announce('Settings saved.');
    }
  };

  return (
    // noValidate: the browser's own check stopped a limit out of range with a bubble of its words, before the form's.
    <form onSubmit={(event) => void onSubmit(event)} noValidate aria-labelledby="general-heading">
      <h2 id="general-heading">General</h2>
      <fieldset>
        <legend>Theme</legend>
        {themes.map((t) => (
          <label key={t.value} className="choice">
            <input
              type="radio"
              name="theme"
              value={t.value}
              checked={draft.theme === t.value}
              onChange={() => setDraft({ ...draft, theme: t.value })}
            />
            {t.label}
          </label>
        ))}
        <p className="hint">Your system’s forced colours and reduced motion settings are always respected.</p>
        <div className="theme-preview">
          <p role="status">{previewing ? `Previewing ${themeLabel(draft.theme)}. Save settings to keep it.` : ''}</p>
          {previewing ? (
            <button type="button" onClick={revertTheme}>
              Go back to {themeLabel(settings.theme)}
            </button>
          ) : null}
        </div>
      </fieldset>
      <div className="field">
        <label className="choice">
          <input
            type="checkbox"
            checked={draft.assistiveMode}
            onChange={(e) => setDraft({ ...draft, assistiveMode: e.target.checked })}
            aria-describedby="assistive-help"
          />
          Assistive mode
        </label>
        <p className="hint" id="assistive-help">
          Larger text and targets, stronger focus outlines and more spacing.
        </p>
      </div>
      <div className="field">
        <label className="choice">
          <input
            type="checkbox"
            checked={draft.singleKeyShortcuts}
            onChange={(e) => setDraft({ ...draft, singleKeyShortcuts: e.target.checked })}
            aria-describedby="shortcuts-help"
          />
          Single-key shortcuts
        </label>
        <p className="hint" id="shortcuts-help">
          Keys such as ?, G then L, and 1 to 9 work without a modifier. Turn off if you use speech input or a screen reader’s
          quick keys.
        </p>
      </div>
      <div className="field">
        <label className="choice">
          <input
            type="checkbox"
            checked={instructorToolsShown(draft.showInstructorTools, isContentEditor)}
            onChange={(e) => setDraft({ ...draft, showInstructorTools: e.target.checked })}
            aria-describedby="instructor-tools-help"
          />
          Show the instructor tools
        </label>
        <p className="hint" id="instructor-tools-help">
          Adds Content to the navigation: open, check, preview, import and export content packs. Until you choose, it follows whether your account is
          a content editor.
        </p>
      </div>
      <div className="field">
        <label htmlFor="time-zone">Time zone</label>
        <select id="time-zone" value={draft.timeZone} onChange={(e) => setDraft({ ...draft, timeZone: e.target.value })}>
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
      </div>
      <StudyFields value={draft} onChange={(patch) => setDraft({ ...draft, ...patch })} limitText={limitText} onLimitText={setLimitText} />
      <div className="actions">
        {/* aria-disabled, not disabled: a disabled button loses focus to <body> while saving. */}
        <button type="submit" className="primary" aria-disabled={saving || undefined}>
          Save settings
        </button>
        <span className="status-text">{status}</span>
      </div>
    </form>
  );
}
