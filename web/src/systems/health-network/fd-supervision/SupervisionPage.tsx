import { Card, DatePicker, Space, Tabs, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { AbnormalTab } from './AbnormalTab';
import { DailyTab } from './DailyTab';
import { DrillReport } from './DrillReport';
import { KeyPopulationTab } from './KeyPopulationTab';
import { RenewalHistoryTab } from './RenewalHistoryTab';
import { RenewalsTab } from './RenewalsTab';

function RangeReport({ url, filename, label, date }: { url: string; filename: string; label: string; date?: boolean }) {
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space>
        <Typography.Text>{label}</Typography.Text>
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} />
      </Space>
      <DrillReport
        url={url}
        query={{ from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') }}
        filename={filename}
        extraColumns={date ? [{ title: '日期', dataIndex: 'date', width: 110 }] : undefined}
      />
    </Space>
  );
}

/**
 * 签约服务监管: the supervision reports of family-doctor contracting, each drilled city → district →
 * community → doctor within the user's data scope, each exportable to Excel.
 */
export function SupervisionPage() {
  const [tab, setTab] = useState('daily');
  return (
    <Card title="签约服务监管">
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyOnHidden
        items={[
          { key: 'daily', label: '每日红黄绿监测', children: <DailyTab /> },
          { key: 'renewals', label: '续约统计与动态', children: <RenewalsTab /> },
          { key: 'history', label: '续约记录与工作量', children: <RenewalHistoryTab /> },
          {
            key: 'terminations',
            label: '解约记录',
            children: <RangeReport url="/fd-supervision/terminations" filename="每日解约记录" label="解约日期" date />,
          },
          { key: 'kp', label: '重点人群续约', children: <KeyPopulationTab /> },
          { key: 'abnormal', label: '异常重复签约', children: <AbnormalTab /> },
          { key: 'visits', label: '就诊率', children: <RangeReport url="/fd-supervision/visit-rates" filename="签约居民就诊率" label="就诊期间" /> },
        ]}
      />
    </Card>
  );
}
