import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, getJson, whenUnauthorized } from './lib/api';
import { session } from './lib/session';
import type { Me } from './lib/types';
import { Shell } from './shell';
import { TokenPrompt } from './pages/token-prompt';
import './styles.css';

type State =
  { phase: 'checking' } | { phase: 'prompt'; reason: string | null } | { phase: 'in'; me: Me };

function App() {
  const [state, setState] = useState<State>(() =>
    session.token() ? { phase: 'checking' } : { phase: 'prompt', reason: null },
  );

  const signOut = useCallback((reason: string | null) => {
    session.clear();
    void fetch('/admin/session', { method: 'DELETE' }).catch(() => undefined);
    setState({ phase: 'prompt', reason });
  }, []);

  useEffect(() => {
    whenUnauthorized((message) =>
      signOut(`Your token no longer works, so you were signed out: ${message}`),
    );
  }, [signOut]);

  const check = useCallback(async (): Promise<string | null> => {
    try {
      const me = await getJson<Me>('/v1/me');
      if (me) setState({ phase: 'in', me });
      return null;
    } catch (error) {
      const message = error instanceof ApiError ? error.message : 'The gateway cannot be reached.';
      if (error instanceof ApiError && error.status === 401) session.clear();
      setState({
        phase: 'prompt',
        reason:
          error instanceof ApiError && error.status === 401
            ? `That token was not accepted: ${message}`
            : message,
      });
      return null;
    }
  }, []);

  useEffect(() => {
    if (state.phase !== 'checking') return;
    void check();
  }, [state.phase, check]);

  if (state.phase === 'checking') return <p class="loading">Loading…</p>;
  if (state.phase === 'prompt')
    return (
      <TokenPrompt
        reason={state.reason}
        signIn={async (token) => {
          session.save(token);
          return check();
        }}
      />
    );
  return <Shell me={state.me} signOut={() => signOut(null)} />;
}

render(<App />, document.getElementById('app')!);
