import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { SHANGHAI_DISTRICTS } from '../components/district-map/schematic-shanghai';
import { api } from './api';
import { useSession } from './session';
import type { RegionList } from '@server/systems/common/master-data/responses.ts';

interface DistrictOption {
  code: string;
  name: string;
}

interface DistrictFilterValue {
  /** The district pages pass as `district` to list APIs; undefined = 全市. */
  district: string | undefined;
  setDistrict(code: string | undefined): void;
  /** District-scoped users see their own district, fixed. */
  fixed: boolean;
  districts: DistrictOption[];
  districtName(code: string | null | undefined): string;
}

const KEY = 'wj.district';
const Ctx = createContext<DistrictFilterValue | null>(null);

export function DistrictFilterProvider({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const [districts, setDistricts] = useState<DistrictOption[]>(SHANGHAI_DISTRICTS);
  const [chosen, setChosen] = useState<string | undefined>(() => sessionStorage.getItem(KEY) ?? undefined);

  useEffect(() => {
    if (!user) return;
    const ac = new AbortController();
    api
      .get<RegionList>('/regions', { level: 'district' }, ac.signal)
      .then((r) => {
        if (r.items.length) setDistricts(r.items.map((d) => ({ code: d.code, name: d.name })));
      })
      // The built-in list of the 16 districts stands in when the call fails.
      .catch(() => undefined);
    return () => ac.abort();
  }, [user]);

  const value = useMemo<DistrictFilterValue>(() => {
    const fixed = !!user && user.scope.level !== 'city';
    const names = new Map(districts.map((d) => [d.code, d.name]));
    return {
      district: fixed ? (user?.scope.districtCode ?? undefined) : chosen,
      setDistrict: (code) => {
        if (fixed) return;
        setChosen(code);
        if (code) sessionStorage.setItem(KEY, code);
        else sessionStorage.removeItem(KEY);
      },
      fixed,
      districts,
      districtName: (code) => (code ? (names.get(code) ?? code) : ''),
    };
  }, [user, districts, chosen]);

  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useDistrictFilter(): DistrictFilterValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('useDistrictFilter outside DistrictFilterProvider');
  return v;
}
