import { useEffect, useRef, useState } from 'preact/hooks';
import { Notice } from '../components/notice';

/** Asks for an API token; the reason says why when a token stopped working. */
export function TokenPrompt({
  reason,
  signIn,
}: {
  reason: string | null;
  signIn: (token: string) => Promise<string | null>;
}) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!token.trim()) {
      setError('Paste an API token first.');
      return;
    }
    setBusy(true);
    setError(await signIn(token.trim()));
    setBusy(false);
  };
  return (
    <main class="prompt" id="main">
      <form class="prompt__card" onSubmit={(e) => void submit(e)} aria-labelledby="prompt-title">
        <h1 id="prompt-title">bulkops · Bulk Operations</h1>
        {reason && <Notice>{reason}</Notice>}
        <p>
          Sign in with an API token of your organization. It is kept in this browser tab only and
          forgotten when the tab closes.
        </p>
        <label for="token">API token</label>
        <input
          id="token"
          ref={input}
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={token}
          onInput={(e) => setToken((e.target as HTMLInputElement).value)}
          aria-describedby="token-help"
        />
        <p id="token-help" class="hint">
          An administrator issues tokens with <code>npx bulkops admin create-token</code>;{' '}
          <code>npm start</code> prints the demo organization's.
        </p>
        {error && <Notice>{error}</Notice>}
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
