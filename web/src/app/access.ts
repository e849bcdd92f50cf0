import { useMemo } from 'react';
import { useSession } from './session';

/**
 * Access flags from the signed-in user's permissions: they only hide what a role may not use —
 * the server refuses such calls anyway.
 */
export interface Access {
  can(permission: string): boolean;
  /** City-wide users may look at any district; others are fixed to their own. */
  isCityLevel: boolean;
}

export function useAccess(): Access {
  const { user } = useSession();
  return useMemo(() => {
    const set = new Set(user?.permissions ?? []);
    return {
      can: (p: string) => set.has('*') || set.has(p),
      isCityLevel: user?.scope.level === 'city',
    };
  }, [user]);
}
