import { Select, Spin } from 'antd';
import { useEffect, useRef, useState } from 'react';

export interface Option {
  value: string | number;
  label: string;
}

/**
 * A Select whose options come from the server as the user types (institutions, practitioners…).
 * `deps` (e.g. the chosen district) reload the options; typing is debounced.
 */
export function RemoteSelect({
  fetch,
  deps = [],
  value,
  onChange,
  placeholder,
  disabled,
  style,
  allowClear = true,
  id,
  initialLabel,
  'aria-label': ariaLabel,
}: {
  fetch: (q: string, signal: AbortSignal) => Promise<Option[]>;
  deps?: unknown[];
  value?: string | number | null;
  onChange?: (v: string | number | undefined) => void;
  placeholder?: string;
  disabled?: boolean;
  style?: React.CSSProperties;
  allowClear?: boolean;
  id?: string;
  /** The name of a value given from outside (e.g. the user's own institution while the select is disabled). */
  initialLabel?: string;
  'aria-label'?: string;
}) {
  const [q, setQ] = useState('');
  const [options, setOptions] = useState<Option[]>([]);
  const [loading, setLoading] = useState(false);
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;

  // biome-ignore lint/correctness/useExhaustiveDependencies: deps are the caller's filters
  useEffect(() => {
    if (disabled) return;
    const ac = new AbortController();
    const t = setTimeout(
      () => {
        setLoading(true);
        fetchRef
          .current(q, ac.signal)
          .then((o) => !ac.signal.aborted && setOptions(o))
          .catch(() => !ac.signal.aborted && setOptions([]))
          .finally(() => !ac.signal.aborted && setLoading(false));
      },
      q ? 300 : 0,
    );
    return () => {
      clearTimeout(t);
      ac.abort();
    };
  }, [q, disabled, JSON.stringify(deps)]);

  return (
    <Select
      id={id}
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v)}
      options={value != null && initialLabel && !options.some((o) => o.value === value) ? [{ value, label: initialLabel }, ...options] : options}
      aria-label={ariaLabel}
      placeholder={placeholder}
      disabled={disabled}
      allowClear={allowClear}
      style={style}
      notFoundContent={loading ? <Spin size="small" /> : '无匹配项'}
      loading={loading}
    />
  );
}
