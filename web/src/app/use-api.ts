import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';

export interface ApiState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/** Runs a read when its inputs change; the previous call is aborted so a slow answer never wins. */
export function useApi<T>(fn: (signal: AbortSignal) => Promise<T>, deps: DependencyList, enabled = true): ApiState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(enabled);
  const [tick, setTick] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to refetch
  useEffect(() => {
    if (!enabled) {
      setLoading(false);
      return;
    }
    const ac = new AbortController();
    setLoading(true);
    setError(null);
    fnRef.current(ac.signal).then(
      (d) => {
        if (ac.signal.aborted) return;
        setData(d);
        setLoading(false);
      },
      (e) => {
        if (ac.signal.aborted) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => ac.abort();
  }, [...deps, tick, enabled]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
