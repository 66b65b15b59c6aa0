import { createContext, useContext } from 'react';
import type { Me, Scope } from '../api/types';

/** Who is signed in: the key's identity and scopes. */
export interface Session {
  me: Me;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in dashboard');
  return s;
}

/** Whether the signed-in key holds a scope (admin holds every scope), as the server decides it. */
export function useCan(scope: Scope): boolean {
  const { me } = useSession();
  return me.scopes.includes('admin') || me.scopes.includes(scope);
}

const STORAGE = 'segmint.key';

/** The key is kept for the browser tab only (sessionStorage): closing the tab signs out. */
export const keyStore = {
  get: (): string | null => sessionStorage.getItem(STORAGE),
  set: (key: string): void => sessionStorage.setItem(STORAGE, key),
  clear: (): void => sessionStorage.removeItem(STORAGE),
};
