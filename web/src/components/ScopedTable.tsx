import { Table, type TableProps, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useSession } from '../app/session';
import type { Page } from '../app/types';
import { useApi } from '../app/use-api';
import { EmptyState, ErrorAlert } from './page-states';

export interface ScopedTableProps<T> {
  columns: ColumnsType<T>;
  rowKey: TableProps<T>['rowKey'];
  /** Loads one page; called again when `deps` change (page goes back to 1) or `reloadKey` changes. */
  load: (page: number, pageSize: number, signal: AbortSignal) => Promise<Page<T>>;
  deps: unknown[];
  reloadKey?: number;
  /** When false nothing loads (e.g. a search form not yet submitted) and `idleText` shows. */
  enabled?: boolean;
  idleText?: ReactNode;
  emptyText: ReactNode;
  pageSize?: number;
  expandable?: TableProps<T>['expandable'];
  onRow?: TableProps<T>['onRow'];
  size?: TableProps<T>['size'];
  /** Hide the "数据范围" note (tables of reference data every role sees in full). */
  hideScopeNote?: boolean;
  onLoaded?: (page: Page<T>) => void;
}

/**
 * A server-paged table that always shows its loading, empty and error states, and says which data
 * scope (数据权限) the rows come from — the server narrows every list to the caller's scope.
 */
/**
 * The operation column (操作) stays in view on a narrow screen (1366×768): pinned to the right edge while
 * the other columns scroll sideways. A column that says where it goes keeps its own setting.
 */
export function pinOperations<T>(columns: ColumnsType<T>): ColumnsType<T> {
  return columns.map((c) => (c.title === '操作' && c.fixed === undefined ? { ...c, fixed: 'right' as const } : c));
}

export function ScopedTable<T extends object>(p: ScopedTableProps<T>) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(p.pageSize ?? 20);
  const { user } = useSession();
  const enabled = p.enabled ?? true;

  // New filters: back to the first page, decided during render so only one request goes out.
  const depsKey = JSON.stringify(p.deps);
  const [seenKey, setSeenKey] = useState(depsKey);
  if (seenKey !== depsKey) {
    setSeenKey(depsKey);
    setPage(1);
  }

  const { data, error, loading, reload } = useApi((signal) => p.load(page, pageSize, signal), [page, pageSize, p.reloadKey, depsKey], enabled);
  const onLoaded = useRef(p.onLoaded);
  onLoaded.current = p.onLoaded;
  useEffect(() => {
    if (data) onLoaded.current?.(data);
  }, [data]);

  const scopeNote = user ? `数据范围：${user.scopeLabel}` : '';

  return (
    <>
      <ErrorAlert error={error} onRetry={reload} />
      <Table<T>
        columns={pinOperations(p.columns)}
        rowKey={p.rowKey}
        size={p.size ?? 'middle'}
        loading={loading}
        dataSource={enabled && !error ? (data?.items ?? []) : []}
        expandable={p.expandable}
        onRow={p.onRow}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: loading ? ' ' : <EmptyState description={enabled ? p.emptyText : (p.idleText ?? p.emptyText)} /> }}
        pagination={
          enabled && data && data.total > 0
            ? {
                current: page,
                pageSize,
                total: data.total,
                showSizeChanger: true,
                pageSizeOptions: [10, 20, 50, 100],
                showTotal: (t) => `共 ${t.toLocaleString('zh-CN')} 条`,
                onChange: (pg, ps) => {
                  setPage(ps !== pageSize ? 1 : pg);
                  setPageSize(ps);
                },
              }
            : false
        }
        footer={
          p.hideScopeNote || !scopeNote
            ? undefined
            : () => (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {scopeNote}
                </Typography.Text>
              )
        }
      />
    </>
  );
}
