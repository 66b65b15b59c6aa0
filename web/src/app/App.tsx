import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError, configureApi } from '../api/client';
import type { Me } from '../api/types';
import { asApiError } from '../api/useApi';
import { Loading } from '../components/notes';
import { SessionContext, keyStore, type Session } from './session';
import { Shell } from './Shell';
import { SignIn } from './SignIn';

/**
 * Takes a key handed over in the address (`/#key=sgm_…`, as `segmint demo` prints it) into this tab's
 * storage and removes it from the address bar and history.
 */
function keyFromAddress(): string | null {
  const m = /^#key=([^&]+)/.exec(location.hash);
  if (!m) return null;
  history.replaceState(null, '', location.pathname + location.search + '#/');
  return decodeURIComponent(m[1]!);
}

export function App() {
  const [session, setSession] = useState<{ me: Me } | null>(null);
  const [checking, setChecking] = useState(true);
  const [lost, setLost] = useState<ApiError>();

  const signOut = useCallback(() => {
    keyStore.clear();
    configureApi(null);
    setSession(null);
  }, []);

  const signedIn = useCallback(
    (key: string, me: Me) => {
      keyStore.set(key);
      configureApi(key, () => {
        // The server stopped accepting the key (revoked): back to the sign-in form, saying why.
        setLost(new ApiError(401, 'unauthorized', 'The server no longer accepts this key (revoked or deleted). Sign in with another.'));
        signOut();
      });
      setLost(undefined);
      setSession({ me });
    },
    [signOut],
  );

  useEffect(() => {
    const key = keyFromAddress() ?? keyStore.get();
    if (!key) {
      setChecking(false);
      return;
    }
    configureApi(key);
    api
      .get<Me>('/v1/me')
      .then((me) => signedIn(key, me))
      .catch((e: unknown) => {
        keyStore.clear();
        configureApi(null);
        setLost(asApiError(e));
      })
      .finally(() => setChecking(false));
  }, [signedIn]);

  const value = useMemo<Session | null>(() => (session ? { me: session.me, signOut } : null), [session, signOut]);

  if (checking) return <Loading what="Opening the dashboard" />;
  if (!value) return <SignIn onSignedIn={(k, me) => signedIn(k, me)} initialError={lost} />;
  return (
    <SessionContext.Provider value={value}>
      <Suspense fallback={<Loading what="Loading" />}>
        <Shell />
      </Suspense>
    </SessionContext.Provider>
  );
}
