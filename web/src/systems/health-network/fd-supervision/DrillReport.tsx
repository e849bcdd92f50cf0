import { Breadcrumb, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type ReactNode, useEffect, useState } from 'react';
import { useDistrictFilter } from '../../../app/district-filter';
import { useSession } from '../../../app/session';
import { api, type Query } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import { DownloadButton } from '../../../components/DownloadButton';
import { ErrorAlert } from '../../../components/page-states';
import type { Column as ReportColumn, DrillInput as Drill, Report, ReportRow } from '@server/systems/health-network/fd-supervision/responses.ts';

export type { Drill, Report, ReportColumn, ReportRow };

export const cell = (c: ReportColumn) => (v: unknown) =>
  v === null || v === undefined ? '—' : c.percent ? `${v}%` : typeof v === 'number' ? v.toLocaleString('zh-CN') : String(v);

/**
 * One supervision report with the drill-down 全市 → 区 → 社区 → 医生: a click on a row's name goes one
 * level down, the breadcrumb goes back up; 导出Excel downloads the same view (format=xlsx).
 */
/** Where a user's drill-down starts: their own level (a district user sees the district's centres first). */
export function useStartPath(): { label: string; drill: Drill }[] {
  const { user } = useSession();
  const { districtName } = useDistrictFilter();
  const s = user?.scope;
  if (!s || s.level === 'city' || !s.districtCode) return [{ label: '全市', drill: {} }];
  const district = { label: districtName(s.districtCode), drill: { district: s.districtCode } };
  if (s.institutionId && s.level !== 'street') {
    const name = user.scopeLabel.replace(/^.*：/, '');
    return [district, { label: s.level === 'institution' ? name : '本机构', drill: { district: s.districtCode, institutionId: s.institutionId } }];
  }
  return [district];
}

export function DrillReport({
  url,
  query,
  filename,
  extraColumns,
  children,
  onData,
  onDrill,
}: {
  url: string;
  query?: Query;
  filename: string;
  /** Columns shown before the metrics (e.g. the date of a daily row). */
  extraColumns?: ColumnsType<ReportRow>;
  children?: (report: Report | undefined) => ReactNode;
  onData?: (r: Report) => void;
  /** The level the table shows now (a chart beside it follows the same drill). */
  onDrill?: (d: Drill) => void;
}) {
  const start = useStartPath();
  const [path, setPath] = useState<{ label: string; drill: Drill }[]>(start);
  const drill = path[path.length - 1]!.drill; // starts with at least the top level and never drills above it
  const drillKey = JSON.stringify(drill);
  // biome-ignore lint/correctness/useExhaustiveDependencies: drillKey stands for drill
  useEffect(() => {
    onDrill?.(drill);
  }, [drillKey]);
  const q: Query = { ...query, ...drill };
  const { data, error, loading, reload } = useApi(
    async (signal) => {
      const r = await api.get<Report>(url, q, signal);
      onData?.(r);
      return r;
    },
    [url, JSON.stringify(q)],
  );

  const columns: ColumnsType<ReportRow> = [
    {
      title: data?.levelTitle ?? '',
      dataIndex: 'name',
      fixed: 'left',
      render: (v: string, r) =>
        r.next ? (
          <Typography.Link onClick={() => setPath((p) => [...p, { label: v, drill: r.next as Drill }])} data-testid="drill-link">
            {v}
          </Typography.Link>
        ) : (
          v
        ),
    },
    ...(extraColumns ?? []),
    ...(data?.columns ?? []).map((c) => ({ title: c.title, dataIndex: c.key, align: 'right' as const, render: cell(c) })),
  ];
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Breadcrumb
          items={path.map((p, i) => ({
            key: i,
            title: i < path.length - 1 ? <Typography.Link onClick={() => setPath((x) => x.slice(0, i + 1))}>{p.label}</Typography.Link> : p.label,
          }))}
        />
        <DownloadButton url={url} query={{ ...q, format: 'xlsx' }} filename={`${filename}.xlsx`}>
          导出Excel
        </DownloadButton>
      </Space>
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      {children?.(data)}
      <Table<ReportRow>
        rowKey={(r) => `${r.key}-${String(r.date ?? '')}`}
        size="small"
        loading={loading}
        columns={columns}
        dataSource={data?.rows ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        summary={() =>
          data && data.rows.length > 1 ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
              {(extraColumns ?? []).map((c, i) => (
                <Table.Summary.Cell key={String(c.key ?? ('dataIndex' in c ? c.dataIndex : c.title))} index={i + 1} />
              ))}
              {data.columns.map((c, i) => (
                <Table.Summary.Cell key={c.key} index={i + 1 + (extraColumns?.length ?? 0)} align="right">
                  {cell(c)(data.total[c.key])}
                </Table.Summary.Cell>
              ))}
            </Table.Summary.Row>
          ) : null
        }
      />
    </Space>
  );
}
