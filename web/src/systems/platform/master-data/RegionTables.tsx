import { Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { api } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import { EmptyState, ErrorAlert } from '../../../components/page-states';
import type { DistrictStats, Region, RegionList } from '@server/systems/common/master-data/responses.ts';

const pageOpts = { pageSize: 20, showSizeChanger: false, showTotal: (t: number) => `共 ${t} 条` };

export function DistrictTable({ selected, onSelect }: { selected?: string; onSelect(code: string): void }) {
  const regions = useApi((s) => api.get<RegionList>('/regions', { level: 'district' }, s), []);
  const stats = useApi((s) => api.get<DistrictStats>('/master-data/district-stats', undefined, s), []);
  const byCode = new Map((stats.data?.items ?? []).map((d) => [d.code, d]));
  const columns: ColumnsType<Region> = [
    { title: '区划代码', dataIndex: 'code', render: (v: string) => <span className="wj-mono">{v}</span> },
    { title: '名称', dataIndex: 'name' },
    { title: '医疗机构', key: 'i', align: 'right', render: (_, r) => byCode.get(r.code)?.institutions?.toLocaleString('zh-CN') ?? '—' },
    { title: '医务人员', key: 'p', align: 'right', render: (_, r) => byCode.get(r.code)?.practitioners?.toLocaleString('zh-CN') ?? '—' },
    { title: '居民', key: 'r', align: 'right', render: (_, r) => byCode.get(r.code)?.residents?.toLocaleString('zh-CN') ?? '—' },
  ];
  return (
    <>
      <ErrorAlert error={regions.error} onRetry={regions.reload} />
      <Table<Region>
        rowKey="code"
        size="small"
        columns={columns}
        dataSource={regions.data?.items ?? []}
        loading={regions.loading}
        pagination={false}
        rowClassName={(r) => (r.code === selected ? 'ant-table-row-selected' : '')}
        onRow={(r) => ({ onClick: () => onSelect(r.code), style: { cursor: 'pointer' } })}
        locale={{ emptyText: regions.loading ? ' ' : <EmptyState description="尚未导入区县数据" /> }}
      />
    </>
  );
}

export function StreetTable({ district, districtName }: { district?: string; districtName: string }) {
  const streets = useApi((s) => api.get<RegionList>('/regions', { level: 'street', parent: district }, s), [district], !!district);
  const columns: ColumnsType<Region> = [
    { title: '区划代码', dataIndex: 'code', render: (v: string) => <span className="wj-mono">{v}</span> },
    { title: '名称', dataIndex: 'name' },
    { title: '类型', dataIndex: 'kind', render: (v: string | null | undefined) => v ?? '—' },
    { title: '所属区', key: 'd', render: () => districtName },
  ];
  if (!district) return <EmptyState description="请先在地图上点击一个区，或在“区县”页签中选择一个区，查看其街道和镇。" />;
  return (
    <>
      <ErrorAlert error={streets.error} onRetry={streets.reload} />
      <Table<Region>
        rowKey="code"
        size="small"
        columns={columns}
        dataSource={streets.error ? [] : (streets.data?.items ?? [])}
        loading={streets.loading}
        pagination={pageOpts}
        locale={{ emptyText: streets.loading ? ' ' : <EmptyState description={`${districtName}暂无街镇数据`} /> }}
      />
    </>
  );
}
