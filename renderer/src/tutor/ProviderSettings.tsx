/**
 * Settings → Tutor: which tutor answers (the offline tutor, an OpenAI-compatible server, or the Supabase edge function),
 * the server's address and model, and its API key. The key field is write-only: the stored key never comes back, the
 * field only says whether one is stored, and leaving it empty keeps it.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { ConnectionTest as ConnectionTestResult, ProviderSettings as Provider, ProviderSettingsPatch } from '../../../shared/ipc/contract';
import { offlineTutorLabel } from '../../../shared/tutor/labels';
import { useFieldErrors } from '../shell/fieldError';
import { FieldMessage, fieldMessageProps } from '../shell/FieldMessage';
import { useShell } from '../shell/shellStore';
import { useProvider, type ProviderFormErrors } from './providerStore';

type Kind = Provider['kind'];

/** The form's fields by key, with their elements' ids, in the form's order (the first wrong one takes the focus). */
const providerFieldIds = [
  ['baseUrl', 'tutor-base-url'],
  ['model', 'tutor-model'],
  ['apiKey', 'tutor-api-key'],
] as const satisfies ReadonlyArray<readonly [keyof ProviderFormErrors, string]>;

const kinds: ReadonlyArray<{ value: Kind; label: string; hint: string }> = [
  { value: 'offline', label: 'None: the offline tutor', hint: `${offlineTutorLabel}.` },
  {
    value: 'openai-compatible',
    label: 'An OpenAI-compatible server',
    hint: 'OpenAI, or a local Ollama (http://127.0.0.1:11434/v1), llama.cpp’s llama-server or LM Studio (http://127.0.0.1:1234/v1).',
  },
  { value: 'edge-function', label: 'The Supabase edge function', hint: 'Uses the sync server and your account; no key is needed here.' },
];

export function ProviderSettings() {
  const provider = useProvider((s) => s.provider);
  useEffect(() => {
    void useProvider.getState().load();
  }, []);
  return (
    <section aria-labelledby="tutor-settings-heading">
      <h2 id="tutor-settings-heading">Tutor</h2>
      {provider ? <ProviderForm provider={provider} /> : <p>Loading the tutor settings…</p>}
    </section>
  );
}

/** The form's own checks, in its words; the lengths are the contract's to check (core's refusal is shown on the field). */
function validate(kind: Kind, baseUrl: string, model: string): ProviderFormErrors {
  if (kind !== 'openai-compatible') return {};
  const errors: ProviderFormErrors = {};
  try {
    const url = new URL(baseUrl.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') errors.baseUrl = 'Base URL: use an http or https address.';
  } catch {
    errors.baseUrl = 'Base URL: enter an address such as http://127.0.0.1:11434/v1.';
  }
  if (model.trim() === '') errors.model = 'Model: enter the model’s name, for example llama3.2.';
  return errors;
}

function ProviderForm({ provider }: { provider: Provider }) {
  const save = useProvider((s) => s.save);
  const saving = useProvider((s) => s.saving);
  const announce = useShell((s) => s.announce);
  const [kind, setKind] = useState<Kind>(provider.kind);
  const [baseUrl, setBaseUrl] = useState(provider.baseUrl);
  const [model, setModel] = useState(provider.model);
  const [apiKey, setApiKey] = useState('');
  const [removeKey, setRemoveKey] = useState(false);
  const { errors, markWrong } = useFieldErrors(providerFieldIds);
  const [saved, setSaved] = useState('');

  /** A change to the form: "saved" no longer describes what it holds. */
  const edit =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setSaved('');
    };

  /** The form's values as a patch (Save stores it, Test connection probes it), or null after showing what to fix. */
  const draft = (): ProviderSettingsPatch | null => {
    if (markWrong(validate(kind, baseUrl, model))) return null;
    const patch: ProviderSettingsPatch = { kind };
    if (kind === 'openai-compatible') {
      patch.baseUrl = baseUrl.trim();
      patch.model = model.trim();
      if (removeKey) patch.apiKey = null;
      // Spaces a paste brings are not part of a key (core trims it too); only spaces keep the stored key.
      else if (apiKey.trim() !== '') patch.apiKey = apiKey.trim();
    }
    return patch;
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    setSaved('');
    const patch = draft();
    if (!patch) return;
    const answer = await save(patch);
    if (!answer) return;
    if ('refused' in answer) {
      markWrong(answer.refused);
      return;
    }
    // The key leaves the page as soon as it is stored.
    setApiKey('');
    setRemoveKey(false);
    setSaved('Tutor settings saved.');
    announce('Tutor settings saved.');
  };

  return (
    <form onSubmit={(event) => void onSubmit(event)} noValidate aria-labelledby="tutor-provider-heading">
      <h3 id="tutor-provider-heading">Who answers</h3>
      <fieldset>
        <legend>Tutor provider</legend>
        {kinds.map((k) => (
          <div key={k.value} className="field">
            <label className="choice">
              <input
                type="radio"
                name="tutor-kind"
                value={k.value}
                checked={kind === k.value}
                onChange={() => edit(setKind)(k.value)}
                aria-describedby={`tutor-kind-${k.value}-help`}
              />
              {k.label}
            </label>
            <p className="hint" id={`tutor-kind-${k.value}-help`}>
              {k.hint}
            </p>
          </div>
        ))}
      </fieldset>
      {kind === 'openai-compatible' ? (
        <>
          <div className="field">
            <label htmlFor="tutor-base-url">Base URL</label>
            <input
              id="tutor-base-url"
              type="url"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              value={baseUrl}
              onChange={(e) => edit(setBaseUrl)(e.target.value)}
              {...fieldMessageProps('tutor-base-url', errors.baseUrl, true)}
            />
            <FieldMessage fieldId="tutor-base-url" error={errors.baseUrl}>
              The address before /chat/completions, for example https://api.openai.com/v1.
            </FieldMessage>
          </div>
          <div className="field">
            <label htmlFor="tutor-model">Model</label>
            <input
              id="tutor-model"
              type="text"
              autoComplete="off"
              spellCheck={false}
              value={model}
              onChange={(e) => edit(setModel)(e.target.value)}
              {...fieldMessageProps('tutor-model', errors.model, false)}
            />
            <FieldMessage fieldId="tutor-model" error={errors.model} />
          </div>
          <div className="field">
            <label htmlFor="tutor-api-key">API key (optional)</label>
            <input
              id="tutor-api-key"
              type="password"
              autoComplete="off"
              value={apiKey}
              disabled={removeKey}
              onChange={(e) => edit(setApiKey)(e.target.value)}
              {...fieldMessageProps('tutor-api-key', errors.apiKey, true)}
            />
            <FieldMessage fieldId="tutor-api-key" error={errors.apiKey}>
              {provider.hasApiKey
                ? 'A key is stored. It is never shown; type a new one to replace it, or leave this empty to keep it.'
                : 'No key is stored. Local servers usually need none.'}
            </FieldMessage>
            {provider.hasApiKey ? (
              <label className="choice">
                <input type="checkbox" checked={removeKey} onChange={(e) => edit(setRemoveKey)(e.target.checked)} />
                Remove the stored key
              </label>
            ) : null}
          </div>
        </>
      ) : null}
      <div className="actions">
        {/* aria-disabled, not disabled: a disabled button loses focus to <body> while saving. */}
        <button type="submit" className="primary" aria-disabled={saving || undefined}>
          Save tutor settings
        </button>
        <span className="status-text">{saved}</span>
      </div>
      <ConnectionTest draft={draft} markWrong={markWrong} />
    </form>
  );
}

/** The sentence for a connection test's result. */
function testResultText(test: ConnectionTestResult): string {
  if (!test.ok) return `Not connected: ${test.error?.message ?? 'no answer.'}`;
  const models = test.models.length === 1 ? '1 model' : `${test.models.length} models`;
  return `Connected. The server lists ${models}${test.modelFound ? ', including the chosen one.' : '; the chosen model is not among them.'}`;
}

/** How many of the server's model names are shown; a hosted server lists hundreds. */
const MODELS_SHOWN = 20;

/** Tests the form's values (validated as Save does), saved or not; `markWrong` shows the fields core refused, as Save does. */
function ConnectionTest({ draft, markWrong }: { draft: () => ProviderSettingsPatch | null; markWrong: (found: ProviderFormErrors) => boolean }) {
  const testing = useProvider((s) => s.testing);
  const test = useProvider((s) => s.test);
  const testConnection = useProvider((s) => s.testConnection);
  const announce = useShell((s) => s.announce);

  const onTest = async () => {
    const patch = draft();
    if (!patch) return;
    const answer = await testConnection(patch);
    if (!answer) return;
    if ('refused' in answer) markWrong(answer.refused);
    else announce(testResultText(answer.value));
  };

  const more = test ? test.models.length - MODELS_SHOWN : 0;
  return (
    <>
      <div className="actions">
        {/* aria-disabled, not disabled: a disabled button loses focus to <body> while the server answers. */}
        <button type="button" aria-disabled={testing || undefined} onClick={() => testing || void onTest()} aria-describedby="tutor-test-help">
          Test connection
        </button>
        <span className="hint" id="tutor-test-help">
          Tests the settings above as they are now, saved or not.
        </span>
        <p className="status-text">{testing ? 'Testing…' : test ? testResultText(test) : ''}</p>
      </div>
      {!testing && test && test.models.length > 0 ? (
        <ul aria-label="Models the server lists">
          {test.models.slice(0, MODELS_SHOWN).map((name, i) => (
            <li key={`${i}-${name}`}>{name}</li>
          ))}
          {more > 0 ? <li>and {more} more</li> : null}
        </ul>
      ) : null}
    </>
  );
}
