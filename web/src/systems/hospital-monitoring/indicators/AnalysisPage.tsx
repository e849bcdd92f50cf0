import dayjs from 'dayjs';
import { CloseOutlined, DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Col, DatePicker, Empty, Input, Modal, Radio, Row, Select, Space, Table, Tag, Typography } from 'antd';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { type DragEvent, type ReactNode, useEffect, useMemo, useState } from 'react';
import { api, errorText } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import { addDays, todayInShanghai } from '../../../app/dates';
import { echarts } from '../../../components/echarts';
import { chartOption } from './chart';
import type { ChartType, ComputeResult, EditorCatalog, SavedView } from './types';
import type { IndicatorList, SavedViewList } from '@server/systems/hospital-monitoring/indicators/responses.ts';

type Chip = { type: 'indicator'; id: number } | { type: 'dimension'; code: string };
type Slot = 'indicators' | 'x' | 'series';
const MIME = 'application/x-weijian-chip';

function dayOffset(days: number): string {
  return addDays(todayInShanghai(), days);
}

function DragChip({ chip, children, onPick }: { chip: Chip; children: ReactNode; onPick(): void }) {
  return (
    <Tag
      draggable
      onDragStart={(e: DragEvent) => {
        e.dataTransfer.setData(MIME, JSON.stringify(chip));
        e.dataTransfer.setData('text/plain', JSON.stringify(chip));
        e.dataTransfer.effectAllowed = 'copy';
      }}
      onDoubleClick={onPick}
      style={{ cursor: 'grab', padding: '4px 8px', marginBottom: 6, userSelect: 'none' }}
      color={chip.type === 'indicator' ? 'blue' : 'green'}
      data-chip={chip.type === 'indicator' ? `indicator-${chip.id}` : `dimension-${chip.code}`}
    >
      {children}
    </Tag>
  );
}

function DropSlot({
  slot,
  title,
  hint,
  onDrop,
  children,
}: {
  slot: Slot;
  title: string;
  hint: string;
  onDrop(slot: Slot, chip: Chip): void;
  children: ReactNode;
}) {
  const [over, setOver] = useState(false);
  return (
    <div
      data-slot={slot}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const raw = e.dataTransfer.getData(MIME) || e.dataTransfer.getData('text/plain');
        try {
          onDrop(slot, JSON.parse(raw) as Chip);
        } catch {
          // Not one of our chips.
        }
      }}
      style={{ border: `2px dashed ${over ? '#1677ff' : '#d9d9d9'}`, borderRadius: 8, padding: 8, minHeight: 48, background: over ? '#e6f4ff' : undefined }}
    >
      <Typography.Text strong>{title}</Typography.Text> <Typography.Text type="secondary">{hint}</Typography.Text>
      <div style={{ marginTop: 6 }}>{children}</div>
    </div>
  );
}

/** 组合分析: drag indicators and dimensions onto the slots, pick a chart, compute under your scope; save and share views. */
export function AnalysisPage() {
  const { message } = App.useApp();
  const indicators = useApi((s) => api.get<IndicatorList>('/indicators', undefined, s), []);
  const catalog = useApi((s) => api.get<EditorCatalog>('/indicators/catalog', undefined, s), []);
  const [viewsKey, setViewsKey] = useState(0);
  const views = useApi((s) => api.get<SavedViewList>('/indicators/views', undefined, s), [viewsKey]);
  const [chosen, setChosen] = useState<number[]>([]);
  const [x, setX] = useState<string | null>(null);
  const [split, setSplit] = useState<string | null>(null);
  const [chart, setChart] = useState<ChartType>('bar');
  const [from, setFrom] = useState(() => `${dayOffset(-335).slice(0, 7)}-01`);
  const [to, setTo] = useState(() => dayOffset(0));
  const [current, setCurrent] = useState<SavedView | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveName, setSaveName] = useState('');
  const [saveShared, setSaveShared] = useState(false);

  const byId = useMemo(() => new Map((indicators.data?.items ?? []).map((i) => [i.id, i])), [indicators.data]);
  const dimTitle = useMemo(() => new Map((catalog.data?.dimensions ?? []).map((d) => [d.code, d.title])), [catalog.data]);
  const dims = [x, split].filter((d): d is string => !!d);
  const pieProblem = chart === 'pie' && (chosen.length !== 1 || dims.length !== 1) ? '饼图只能展示一个指标、一个维度（不设分组）' : null;

  const [result, setResult] = useState<ComputeResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const query = chosen.length ? { ids: chosen.join(','), dims: dims.join(','), from, to } : null;
  const queryKey = JSON.stringify(query);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the serialised query decides when to recompute
  useEffect(() => {
    if (!query) {
      setResult(null);
      return;
    }
    const ac = new AbortController();
    setLoading(true);
    setError(null);
    api.get<ComputeResult>('/indicators/compute', query, ac.signal).then(
      (r) => {
        if (!ac.signal.aborted) {
          setResult(r);
          setLoading(false);
        }
      },
      (e) => {
        if (!ac.signal.aborted) {
          setError(errorText(e));
          setLoading(false);
        }
      },
    );
    return () => ac.abort();
  }, [queryKey]);

  const drop = (slot: Slot, chip: Chip) => {
    if (slot === 'indicators') {
      if (chip.type !== 'indicator') return message.warning('这里放指标');
      if (chosen.includes(chip.id)) return;
      if (chosen.length >= 6) return message.warning('最多 6 个指标');
      setChosen([...chosen, chip.id]);
      return;
    }
    if (chip.type !== 'dimension') return message.warning('这里放维度');
    if (slot === 'x') {
      setX(chip.code);
      if (split === chip.code) setSplit(null);
    } else {
      if (x === chip.code) return message.warning('分组维度须与横轴维度不同');
      setSplit(chip.code);
    }
  };
  const pick = (chip: Chip) => {
    if (chip.type === 'indicator') drop('indicators', chip);
    else drop(x ? 'series' : 'x', chip);
  };

  const load = (v: SavedView) => {
    setCurrent(v);
    setChosen(v.config.indicatorIds);
    setX(v.config.dimensions[0] ?? null);
    setSplit(v.config.dimensions[1] ?? null);
    setChart(v.config.chartType);
    if (v.config.from) setFrom(v.config.from);
    if (v.config.to) setTo(v.config.to);
  };
  const save = async (asNew: boolean) => {
    try {
      const body = { name: saveName, shared: saveShared, indicatorIds: chosen, dimensions: dims, chartType: chart, from, to };
      const v =
        asNew || !current?.mine ? await api.post<SavedView>('/indicators/views', body) : await api.put<SavedView>(`/indicators/views/${current.id}`, body);
      message.success('视图已保存');
      setCurrent(v);
      setSaving(false);
      setViewsKey((k) => k + 1);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const remove = async () => {
    if (!current) return;
    try {
      await api.del(`/indicators/views/${current.id}`);
      message.success('视图已删除');
      setCurrent(null);
      setViewsKey((k) => k + 1);
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const columns = [
    ...(result?.dimensions ?? []).map((d, i) => ({ title: d.title, key: `d${i}`, render: (_: unknown, r: ComputeResult['rows'][number]) => r.labels[i] })),
    ...(result?.indicators ?? []).map((ind, i) => ({
      title: `${ind.title}${ind.unit ? `（${ind.unit}）` : ''}`,
      key: `i${ind.id}`,
      align: 'right' as const,
      render: (_: unknown, r: ComputeResult['rows'][number]) => {
        const c = r.cells[i];
        if (!c) return '—';
        return <span title={c.denominator !== null ? `分子 ${c.numerator} ÷ 分母 ${c.denominator}` : undefined}>{c.value ?? '—'}</span>;
      },
    })),
  ];

  return (
    <Row gutter={16}>
      <Col xs={24} md={7} xl={6}>
        <Card size="small" title="指标（拖到右侧，双击也可添加）" style={{ marginBottom: 12 }}>
          {(indicators.data?.items ?? []).map((i) => (
            <DragChip key={i.id} chip={{ type: 'indicator', id: i.id }} onPick={() => pick({ type: 'indicator', id: i.id })}>
              <span title={i.sentence}>{i.title}</span>
            </DragChip>
          ))}
        </Card>
        <Card size="small" title="维度">
          {(catalog.data?.dimensions ?? []).map((d) => (
            <DragChip key={d.code} chip={{ type: 'dimension', code: d.code }} onPick={() => pick({ type: 'dimension', code: d.code })}>
              {d.title}
            </DragChip>
          ))}
        </Card>
        <Card size="small" title="已保存的视图" style={{ marginTop: 12 }}>
          <Select
            aria-label="已保存的视图"
            style={{ width: '100%' }}
            placeholder={views.data?.items.length ? '选择视图' : '暂无视图'}
            value={current?.id}
            onChange={(id) => {
              const v = views.data?.items.find((x) => x.id === id);
              if (v) load(v);
            }}
            options={(views.data?.items ?? []).map((v) => ({
              value: v.id,
              label: `${v.name}${v.mine ? '' : `（${v.ownerName} 共享）`}${v.mine && v.shared ? '（已共享）' : ''}`,
            }))}
          />
          {current?.mine && (
            <Button danger size="small" icon={<DeleteOutlined />} style={{ marginTop: 8 }} onClick={remove}>
              删除此视图
            </Button>
          )}
        </Card>
      </Col>
      <Col xs={24} md={17} xl={18}>
        <Card
          size="small"
          title={current ? `视图：${current.name}` : '组合分析'}
          extra={
            <Space wrap>
              <Radio.Group
                optionType="button"
                value={chart}
                onChange={(e) => setChart(e.target.value)}
                options={[
                  { value: 'bar', label: '柱状图' },
                  { value: 'line', label: '折线图' },
                  { value: 'pie', label: '饼图' },
                ]}
              />
              <DatePicker.RangePicker
                aria-label="统计期间"
                placeholder={['起始日期', '截止日期']}
                value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
                allowEmpty={[true, true]}
                onChange={(v) => {
                  setFrom(v?.[0]?.format('YYYY-MM-DD') ?? '');
                  setTo(v?.[1]?.format('YYYY-MM-DD') ?? '');
                }}
              />
              <Button
                icon={<SaveOutlined />}
                disabled={!chosen.length || !!pieProblem}
                onClick={() => {
                  setSaveName(current?.mine ? current.name : '');
                  setSaveShared(current?.mine ? current.shared : false);
                  setSaving(true);
                }}
                data-testid="view-save"
              >
                保存视图
              </Button>
            </Space>
          }
        >
          <Space orientation="vertical" style={{ width: '100%' }}>
            <DropSlot slot="indicators" title="指标" hint="（最多 6 个）" onDrop={drop}>
              {chosen.map((id) => (
                <Tag key={id} color="blue" closable closeIcon={<CloseOutlined />} onClose={() => setChosen(chosen.filter((c) => c !== id))}>
                  {byId.get(id)?.title ?? `指标 ${id}`}
                </Tag>
              ))}
            </DropSlot>
            <Row gutter={12}>
              <Col span={12}>
                <DropSlot slot="x" title="横轴维度" hint="（机构、科室、区或月份）" onDrop={drop}>
                  {x && (
                    <Tag
                      color="green"
                      closable
                      onClose={() => {
                        setX(split);
                        setSplit(null);
                      }}
                    >
                      {dimTitle.get(x) ?? x}
                    </Tag>
                  )}
                </DropSlot>
              </Col>
              <Col span={12}>
                <DropSlot slot="series" title="分组维度" hint="（可选，拆成多条系列）" onDrop={drop}>
                  {split && (
                    <Tag color="green" closable onClose={() => setSplit(null)}>
                      {dimTitle.get(split) ?? split}
                    </Tag>
                  )}
                </DropSlot>
              </Col>
            </Row>
            {pieProblem && <Alert type="warning" showIcon title={pieProblem} />}
            {error && <Alert type="error" showIcon title={error} />}
            {result?.truncated && <Alert type="info" showIcon title="结果较多，只显示前 1000 组" />}
            {!chosen.length ? (
              <Empty description="把左侧的指标拖到“指标”框中开始分析" />
            ) : result && !pieProblem ? (
              <div data-testid="analysis-chart">
                <ReactEChartsCore echarts={echarts} option={chartOption(result, chart)} notMerge style={{ height: 420 }} showLoading={loading} />
              </div>
            ) : null}
            {result && (
              <Table
                size="small"
                rowKey={(r) => JSON.stringify(r.keys)}
                dataSource={result.rows}
                columns={columns}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                data-testid="analysis-table"
              />
            )}
            {result && (
              <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
                {result.indicators.map((i) => `${i.title}：${i.sentence}`).join('；')}。数据范围为您的数据权限。
              </Typography.Paragraph>
            )}
          </Space>
        </Card>
      </Col>
      <Modal
        open={saving}
        title="保存视图"
        destroyOnHidden
        onCancel={() => setSaving(false)}
        footer={
          <Space>
            <Button onClick={() => setSaving(false)}>取消</Button>
            {current?.mine && <Button onClick={() => save(true)}>另存为新视图</Button>}
            <Button type="primary" disabled={!saveName.trim()} onClick={() => save(false)} data-testid="view-save-confirm">
              保存
            </Button>
          </Space>
        }
      >
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input aria-label="视图名称" placeholder="视图名称" maxLength={60} value={saveName} onChange={(e) => setSaveName(e.target.value)} />
          <Checkbox checked={saveShared} onChange={(e) => setSaveShared(e.target.checked)}>
            共享给我数据权限范围内的其他用户（他们看到的是各自权限内的数据）
          </Checkbox>
        </Space>
      </Modal>
    </Row>
  );
}
