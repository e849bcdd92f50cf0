import { Card, Space, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { api } from '../../../app/api';
import { useDistrictFilter } from '../../../app/district-filter';
import type { Page } from '../../../app/types';
import { ScopedTable } from '../../../components/ScopedTable';
import type { DuplicateCard } from '@server/systems/health-network/family-doctor/responses.ts';

/** 重复医保卡号报表: card numbers held by more than one resident (allowed at signing with a warning; to be checked). */
export function DuplicateCardsPage() {
  const { districtName } = useDistrictFilter();
  const columns: ColumnsType<DuplicateCard> = [
    { title: '医保卡号', dataIndex: 'insuranceCardNo', render: (v: string) => <span className="wj-mono">{v}</span> },
    { title: '持卡居民数', dataIndex: 'count' },
    {
      title: '持卡居民',
      key: 'holders',
      render: (_, d) => (
        <Space orientation="vertical" size={2}>
          {d.holders.map((h) => (
            <span key={h.personId}>
              {h.name ?? `居民 ${h.personId}`} <span className="wj-mono">{h.idNumberMasked ?? ''}</span>{' '}
              <Tag>{h.insuredPlace === '310000' ? '本市参保' : h.insuredPlace ? `参保地 ${h.insuredPlace}` : '参保地未知'}</Tag>
              {h.district ? districtName(h.district) : ''}
            </span>
          ))}
        </Space>
      ),
    },
  ];
  return (
    <Card title="重复医保卡号">
      <ScopedTable<DuplicateCard>
        rowKey="insuranceCardNo"
        columns={columns}
        deps={[]}
        emptyText="没有重复的医保卡号"
        load={(page, pageSize, signal) => api.get<Page<DuplicateCard>>('/family-doctor/reports/duplicate-cards', { page, pageSize }, signal)}
      />
    </Card>
  );
}
