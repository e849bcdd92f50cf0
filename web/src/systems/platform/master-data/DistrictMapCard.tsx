import { Card, Col, Row, Segmented, Statistic, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import { DistrictMap } from '../../../components/district-map/DistrictMap';
import { CardSkeleton, ErrorAlert } from '../../../components/page-states';
import type { DistrictStats } from '@server/systems/common/master-data/responses.ts';
import { METRICS, type Metric } from './types';

/** The 16 districts coloured by a metric; clicking one filters the tables below. */
export function DistrictMapCard({ selected, onSelect, fixed }: { selected?: string; onSelect(code: string | undefined): void; fixed: boolean }) {
  const [metric, setMetric] = useState<Metric>('institutions');
  const stats = useApi((s) => api.get<DistrictStats>('/master-data/district-stats', undefined, s), []);
  const items = stats.data?.items ?? [];
  const values = useMemo(() => items.map((d) => ({ code: d.code, name: d.name, value: d[metric] })), [items, metric]);
  const sel = items.find((d) => d.code === selected);
  const total = (k: Metric) => items.reduce((s, d) => s + (d[k] ?? 0), 0);
  const shown = sel ?? { name: '全市', institutions: total('institutions'), practitioners: total('practitioners'), residents: total('residents') };

  return (
    <Card
      title="上海市 16 区分布"
      extra={
        <Segmented<Metric> value={metric} onChange={setMetric} options={Object.entries(METRICS).map(([value, label]) => ({ value: value as Metric, label }))} />
      }
    >
      <ErrorAlert error={stats.error} onRetry={stats.reload} />
      <Row gutter={24}>
        <Col xs={24} lg={17}>
          {stats.loading && !stats.data ? (
            <CardSkeleton rows={8} />
          ) : (
            <DistrictMap values={values} metricLabel={METRICS[metric]} selected={selected} onSelect={fixed ? undefined : onSelect} />
          )}
        </Col>
        <Col xs={24} lg={7}>
          <Typography.Title level={5} style={{ marginTop: 0 }} data-testid="map-selection">
            {shown.name}
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {fixed ? '您的数据权限限定在本区。' : sel ? '再次点击该区或点击“全市”取消筛选。' : '点击地图上的区，下方列表随之筛选。'}
          </Typography.Paragraph>
          <Statistic title="医疗机构" value={shown.institutions} suffix="家" />
          <Statistic title="医务人员" value={shown.practitioners} suffix="人" style={{ marginTop: 12 }} />
          <Statistic title="居民（主索引）" value={shown.residents} suffix="人" style={{ marginTop: 12 }} />
          {sel && !fixed && (
            <Typography.Link onClick={() => onSelect(undefined)} style={{ display: 'inline-block', marginTop: 12 }}>
              查看全市
            </Typography.Link>
          )}
        </Col>
      </Row>
    </Card>
  );
}
