import { DatePicker, Input, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import { DownloadButton } from '../../../components/DownloadButton';
import { ScopedTable } from '../../../components/ScopedTable';
import type { RenewalRecord, RenewalWorkload, WorkloadRow } from '@server/systems/health-network/fd-supervision/responses.ts';

/** 续约记录 searchable by operator, and the operators' workload under the same filter. */
export function RenewalHistoryTab() {
  const [operator, setOperator] = useState<string>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const q = { operator, from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') };
  const workload = useApi((signal) => api.get<RenewalWorkload>('/fd-supervision/renewals/workload', q, signal), [JSON.stringify(q)]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      <Space wrap>
        <Input.Search
          placeholder="经办人姓名"
          allowClear
          onSearch={(v) => setOperator(v.trim() || undefined)}
          style={{ width: 200 }}
          data-testid="fs-operator"
        />
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} placeholder={['近一年', '今天']} />
      </Space>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          工作量统计
        </Typography.Title>
        <DownloadButton url="/fd-supervision/renewals/workload" query={{ ...q, format: 'xlsx' }} filename="续约工作量.xlsx">
          导出Excel
        </DownloadButton>
      </Space>
      <Table<WorkloadRow>
        rowKey="operatorName"
        size="small"
        loading={workload.loading}
        dataSource={workload.data?.items ?? []}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        columns={[
          { title: '经办人', dataIndex: 'operatorName' },
          { title: '续约次数', dataIndex: 'renewals', align: 'right' },
          { title: '续约居民数', dataIndex: 'residents', align: 'right' },
          { title: '弹性续约', dataIndex: 'flexible', align: 'right' },
          { title: '首次', dataIndex: 'firstOn' },
          { title: '最近', dataIndex: 'lastOn' },
        ]}
      />
      <Typography.Title level={5} style={{ margin: 0 }}>
        续约记录
      </Typography.Title>
      <ScopedTable<RenewalRecord>
        rowKey="eventId"
        deps={[JSON.stringify(q)]}
        emptyText="没有符合条件的续约记录"
        load={(page, pageSize, signal) => api.get('/fd-supervision/renewals/history', { ...q, page, pageSize }, signal)}
        columns={[
          { title: '续约日期', dataIndex: 'onDate' },
          { title: '居民', dataIndex: 'personName' },
          { title: '身份证号', dataIndex: 'idNumberMasked', render: (v: string | null) => <span className="wj-mono">{v ?? '—'}</span> },
          { title: '签约机构', dataIndex: 'institutionName' },
          { title: '家庭医生', dataIndex: 'doctorName' },
          { title: '续约年限', dataIndex: 'years', render: (v: number) => `${v} 年` },
          { title: '经办人', dataIndex: 'operatorName' },
        ]}
      />
    </Space>
  );
}
