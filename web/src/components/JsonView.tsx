/** Before/after values of an audit event, pretty-printed. */
export function JsonView({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span style={{ color: '#666' }}>（无）</span>;
  return <pre className="wj-json wj-mono">{JSON.stringify(value, null, 2)}</pre>;
}
