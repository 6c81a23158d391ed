/** The signed-in user, from GET /api/auth/me; login and logout. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import type { Me, Role } from '@choucha/api';
import { api, PASSWORD_CHANGE_EVENT, UNAUTHORIZED_EVENT } from '../api/client.ts';

export interface Auth {
  /** undefined while loading, null when signed out. */
  user: Me | null | undefined;
  login: (username: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
  hasRole: (...roles: Role[]) => boolean;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Me | null | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      const r = await api.get<{ user: Me }>('/api/auth/me', { silent: true });
      setUser(r.user);
    } catch {
      setUser(null);
    }
  }, []);

  useEffect(() => {
    void refresh();
    const onUnauthorized = () => setUser(null);
    const onMustChange = () => setUser((u) => (u ? { ...u, mustChangePassword: true } : u));
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    window.addEventListener(PASSWORD_CHANGE_EVENT, onMustChange);
    return () => {
      window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
      window.removeEventListener(PASSWORD_CHANGE_EVENT, onMustChange);
    };
  }, [refresh]);

  const login = useCallback(async (username: string, password: string) => {
    const r = await api.post<{ user: Me }>('/api/auth/login', { username, password }, { silent: true });
    setUser(r.user);
    return r.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.post('/api/auth/logout', undefined, { silent: true });
    } finally {
      setUser(null);
    }
  }, []);

  const value = useMemo<Auth>(
    () => ({
      user,
      login,
      logout,
      refresh,
      hasRole: (...roles) => !!user && roles.includes(user.role),
    }),
    [user, login, logout, refresh],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The signed-in user; only for pages behind RequireAuth. */
export function useMe(): Me {
  const { user } = useAuth();
  if (!user) throw new Error('useMe without a user');
  return user;
}
