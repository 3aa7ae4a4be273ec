/** The sync part of Settings: the Supabase server (URL and anon key) and the account (sign up, sign in, sign out). */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useFieldErrors } from '../shell/fieldError';
import { FieldMessage, fieldMessageProps } from '../shell/FieldMessage';
import { useShell } from '../shell/shellStore';
import { useSync } from './syncStore';
import { validateAccountForm, validateServerForm, type AccountFormErrors, type ServerFormErrors } from './syncText';

/** Each form's fields by key, with their elements' ids, in the form's order (the first wrong one takes the focus). */
const serverFieldIds = [
  ['url', 'sync-url'],
  ['anonKey', 'sync-key'],
] as const satisfies ReadonlyArray<readonly [keyof ServerFormErrors, string]>;
const accountFieldIds = [
  ['email', 'sync-email'],
  ['password', 'sync-password'],
] as const satisfies ReadonlyArray<readonly [keyof AccountFormErrors, string]>;

export function SyncSettings() {
  const status = useSync((s) => s.status);
  return (
    <section aria-labelledby="sync-settings-heading">
      <h2 id="sync-settings-heading">Sync</h2>
      <ServerForm />
      {status?.configured ? <AccountForm /> : <p>Save a server first to create an account or sign in.</p>}
    </section>
  );
}

function ServerForm() {
  const configure = useSync((s) => s.configure);
  const busy = useSync((s) => s.busy);
  const configured = useSync((s) => s.status?.configured ?? false);
  const announce = useShell((s) => s.announce);
  const [url, setUrl] = useState('');
  const [anonKey, setAnonKey] = useState('');
  const { errors, markWrong } = useFieldErrors(serverFieldIds);
  const [saved, setSaved] = useState('');

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setSaved('');
    if (markWrong(validateServerForm(url, anonKey))) return;
    const done = await configure(url, anonKey);
    if (!done) return;
    if ('refused' in done) {
      markWrong(done.refused);
      return;
    }
    const said = done.problem ? `Server saved. Warning: ${done.problem}` : 'Server saved.';
    setSaved(said);
    announce(said);
  };

  return (
    <form onSubmit={(event) => void onSubmit(event)} noValidate aria-labelledby="server-heading">
      <h3 id="server-heading">Server</h3>
      {configured ? <p>A server is saved. Enter its address and key again to change them.</p> : null}
      <div className="field">
        <label htmlFor="sync-url">Server URL</label>
        <input
          id="sync-url"
          type="url"
          inputMode="url"
          autoComplete="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          {...fieldMessageProps('sync-url', errors.url, true)}
        />
        <FieldMessage fieldId="sync-url" error={errors.url}>
          The address of the Supabase project that keeps your work in step across devices, for example
          https://abcd.supabase.co. Whoever runs the server can tell you it.
        </FieldMessage>
      </div>
      <div className="field">
        <label htmlFor="sync-key">Anon key</label>
        <input
          id="sync-key"
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={anonKey}
          onChange={(e) => setAnonKey(e.target.value)}
          {...fieldMessageProps('sync-key', errors.anonKey, true)}
        />
        <FieldMessage fieldId="sync-key" error={errors.anonKey}>
          The project’s public key (Supabase calls it “anon”), from its API settings. It is not a password: it only says which project
          to talk to.
        </FieldMessage>
      </div>
      <div className="actions">
        {/* aria-disabled, not disabled: a disabled button loses focus to <body> while saving. */}
        <button type="submit" className="primary" aria-disabled={busy || undefined}>
          Save server
        </button>
        <span className="status-text">{saved}</span>
      </div>
    </form>
  );
}

function AccountForm() {
  const status = useSync((s) => s.status);
  const busy = useSync((s) => s.busy);
  const signUp = useSync((s) => s.signUp);
  const signIn = useSync((s) => s.signIn);
  const signOut = useSync((s) => s.signOut);
  const announce = useShell((s) => s.announce);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { errors, markWrong } = useFieldErrors(accountFieldIds);
  const [notice, setNotice] = useState('');
  // Signing in or out swaps this form for the other: the button pressed goes, and the focus to the page's body with it,
  // so it moves to the Account heading both views have.
  const signedInEmail = status?.signedInEmail ?? null;
  const signedIn = signedInEmail !== null;
  const wasSignedIn = useRef(signedIn);
  useEffect(() => {
    if (wasSignedIn.current !== signedIn && document.activeElement === document.body) document.getElementById('account-heading')?.focus();
    wasSignedIn.current = signedIn;
  }, [signedIn]);

  if (signedIn) {
    return (
      <div>
        <h3 id="account-heading" tabIndex={-1}>
          Account
        </h3>
        <p>Signed in as {signedInEmail}.</p>
        <button type="button" aria-disabled={busy || undefined} onClick={() => busy || void signOut()}>
          Sign out
        </button>
      </div>
    );
  }

  const run = async (action: 'signUp' | 'signIn') => {
    if (busy) return;
    if (markWrong(validateAccountForm(email, password))) return;
    setNotice('');
    const answer = action === 'signUp' ? await signUp(email.trim(), password) : await signIn(email.trim(), password);
    if (!answer) return;
    if ('refused' in answer) {
      markWrong(answer.refused);
      return;
    }
    const after = answer.value;
    if (after.signedInEmail === null) {
      // A sign-up that worked but left nobody signed in: the server asks to confirm the address first. A notice here,
      // not the status's lastError (an error of the last sync, which may be older); the password stays for the Sign in
      // that follows the confirmation.
      if (action === 'signUp') {
        const said = `Account created for ${email.trim()}: confirm the address from the email the server sent, then sign in.`;
        setNotice(said);
        announce(said);
      }
      return;
    }
    setPassword('');
    announce(action === 'signUp' ? 'Account created and signed in.' : 'Signed in.');
  };

  return (
    <form
      aria-labelledby="account-heading"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void run('signIn');
      }}
    >
      <h3 id="account-heading" tabIndex={-1}>
        Account
      </h3>
      <div className="field">
        <label htmlFor="sync-email">Email</label>
        <input
          id="sync-email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          {...fieldMessageProps('sync-email', errors.email, false)}
        />
        <FieldMessage fieldId="sync-email" error={errors.email} />
      </div>
      <div className="field">
        <label htmlFor="sync-password">Password</label>
        <input
          id="sync-password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          {...fieldMessageProps('sync-password', errors.password, true)}
        />
        <FieldMessage fieldId="sync-password" error={errors.password}>
          At least 6 characters.
        </FieldMessage>
      </div>
      <div className="actions">
        {/* aria-disabled, not disabled: a disabled button loses focus to <body> while the server answers. */}
        <button type="submit" className="primary" aria-disabled={busy || undefined}>
          Sign in
        </button>
        <button type="button" aria-disabled={busy || undefined} onClick={() => void run('signUp')}>
          Create account
        </button>
        <span className="status-text">{notice}</span>
      </div>
    </form>
  );
}
