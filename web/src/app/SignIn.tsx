import { useState, type FormEvent } from 'react';
import { api, ApiError, configureApi } from '../api/client';
import type { Me } from '../api/types';
import { asApiError } from '../api/useApi';

/**
 * Sign in with an API key of read or admin scope. The key is checked against GET /v1/me; the server's
 * answer (unknown key, write-only key) is shown under the field.
 */
export function SignIn({ onSignedIn, initialError }: { onSignedIn: (key: string, me: Me) => void; initialError?: ApiError | undefined }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<ApiError | undefined>(initialError);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const k = key.trim();
    if (k === '') {
      setError(new ApiError(0, 'key_missing', 'Paste an API key: create one with `segmint keys create --read` (or --admin).'));
      return;
    }
    setBusy(true);
    configureApi(k);
    try {
      const me = await api.get<Me>('/v1/me');
      onSignedIn(k, me);
    } catch (err) {
      configureApi(null);
      const a = asApiError(err);
      setError(
        a.status === 403
          ? new ApiError(403, a.code, `${a.message} The dashboard needs a key with the read or admin scope; a write key only sends events.`)
          : a.status === 401
            ? new ApiError(401, a.code, `${a.message} Check the key, or create one with \`segmint keys create --read\`.`)
            : a,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin" id="main">
      <form onSubmit={submit} className="signin-card" noValidate>
        <h1>
          <span className="logo" aria-hidden="true" /> segmint
        </h1>
        <p>Sign in with an API key. A <strong>read</strong> key shows everything; an <strong>admin</strong> key may also save segments, import files and run analyses.</p>
        <label htmlFor="key">API key</label>
        <input
          id="key"
          name="key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'key-error key-help' : 'key-help'}
          placeholder="sgm_…"
        />
        {error && (
          <p className="field-error" id="key-error" role="alert">
            {error.message}
          </p>
        )}
        <p className="help" id="key-help">
          No key yet? On the server: <code>segmint keys create --read --name dashboard</code>. The key stays in this browser tab only.
        </p>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
