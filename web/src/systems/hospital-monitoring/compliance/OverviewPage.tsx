import { Card, DatePicker, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import { CardSkeleton, ErrorState } from '../../../components/page-states';
import { CategoryCards } from './CategoryCards';
import { FindingsCard } from './FindingsCard';
import type { CategoryCard, Summary } from './types';

/** 监测总览: a card per category (cases, max, min, 同比, 环比); a click opens the category's case list. */
export function OverviewPage() {
  const [month, setMonth] = useState<string>();
  const [selected, setSelected] = useState<CategoryCard>();
  const summary = useApi((s) => api.get<Summary>('/compliance/summary', { month }, s), [month]);
  const shown = summary.data?.month ?? month;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title="医疗服务合规监测总览"
        extra={
          <Space>
            <Typography.Text type="secondary">统计月</Typography.Text>
            <DatePicker picker="month" allowClear value={shown ? dayjs(`${shown}-01`) : null} onChange={(d) => setMonth(d ? d.format('YYYY-MM') : undefined)} />
          </Space>
        }
      >
        {summary.loading && <CardSkeleton rows={6} />}
        {summary.error ? <ErrorState error={summary.error} onRetry={summary.reload} /> : null}
        {summary.data && !summary.loading && (
          <CategoryCards
            cards={summary.data.cards}
            month={summary.data.month}
            through={summary.data.through}
            selected={selected?.category}
            onSelect={setSelected}
          />
        )}
      </Card>
      <FindingsCard category={selected?.category} title={selected?.title ?? '全部类别'} />
    </Space>
  );
}
