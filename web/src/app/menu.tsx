import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { api } from './api';
import type { Menu, MenuItem, MenuSystem } from '@server/platform/system/responses.ts';
import { useApi } from './use-api';

interface MenuValue {
  systems: MenuSystem[];
  loading: boolean;
  error: unknown;
  reload(): void;
  /** The menu item a path belongs to (exact, or the longest menu path it lies under). */
  itemFor(pathname: string): MenuItem | undefined;
}

const Ctx = createContext<MenuValue | null>(null);

/** The side menu is the server's registry filtered by the user's permissions (GET /system/menu). */
export function MenuProvider({ children }: { children: ReactNode }) {
  const { data, loading, error, reload } = useApi((signal) => api.get<Menu>('/system/menu', undefined, signal), []);
  const value = useMemo<MenuValue>(() => {
    const systems = data?.systems.filter((s) => s.items.length > 0) ?? [];
    const items = systems.flatMap((s) => s.items);
    return {
      systems,
      loading,
      error,
      reload,
      itemFor: (pathname) => items.filter((i) => pathname === i.path || pathname.startsWith(`${i.path}/`)).sort((a, b) => b.path.length - a.path.length)[0],
    };
  }, [data, loading, error, reload]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useMenu(): MenuValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('useMenu outside MenuProvider');
  return v;
}
