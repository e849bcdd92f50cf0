import { InputNumber, Space, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../../app/api';
import { DownloadButton } from '../../../components/DownloadButton';
import { ScopedTable } from '../../../components/ScopedTable';
import type { AbnormalSigning as AbnormalRow } from '@server/systems/health-network/family-doctor/responses.ts';

/** 异常重复签约: one ID number signed more than the threshold (default 10). */
export function AbnormalTab() {
  const [threshold, setThreshold] = useState<number | null>(null);
  const q = { threshold: threshold ?? undefined };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space>
          <Typography.Text>签约次数超过</Typography.Text>
          <InputNumber min={1} max={1000} value={threshold} onChange={setThreshold} placeholder="10" />
          <Typography.Text>次</Typography.Text>
        </Space>
        <DownloadButton url="/fd-supervision/abnormal-signing" query={{ ...q, format: 'xlsx' }} filename="异常签约.xlsx">
          导出Excel
        </DownloadButton>
      </Space>
      <ScopedTable<AbnormalRow>
        rowKey="personId"
        deps={[threshold]}
        emptyText="没有异常重复签约的居民"
        load={(page, pageSize, signal) => api.get('/fd-supervision/abnormal-signing', { ...q, page, pageSize }, signal)}
        columns={[
          { title: '居民', dataIndex: 'personName' },
          { title: '身份证号', dataIndex: 'idNumberMasked', render: (v: string | null) => <span className="wj-mono">{v ?? '—'}</span> },
          { title: '签约次数', dataIndex: 'signCount', align: 'right' },
          { title: '首次签约', dataIndex: 'firstSignedOn' },
          { title: '最近签约', dataIndex: 'lastSignedOn' },
        ]}
      />
    </Space>
  );
}
