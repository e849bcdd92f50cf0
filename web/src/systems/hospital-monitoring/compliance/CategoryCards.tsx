import { QuestionCircleOutlined } from '@ant-design/icons';
import { Card, Col, Row, Space, Statistic, Tooltip, Typography } from 'antd';
import type { CategoryCard } from './types';

const pct = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : ''}${(v * 100).toFixed(1)}%`);
const color = (v: number | null) => (v === null || v === 0 ? undefined : v > 0 ? '#cf1322' : '#237804'); // AA contrast on white (antd's #389e0d is 3.5:1)

/** How each figure is computed: shown on hover, the same words as the server's definition (summary.ts). */
const HELP = {
  cases: '近 12 个月（含统计月）本类监测规则命中的病例数合计，按诊疗/收费发生日期归月。',
  monthCases: '统计月内本类监测规则命中的病例数。',
  max: '近 12 个月中病例数最多的月份及其病例数。',
  min: '近 12 个月中病例数最少的月份及其病例数（无病例的月份计 0）。',
  yoy: '同比 =（统计月病例数 − 上年同月病例数）÷ 上年同月病例数；上年同月为 0 时不计算。',
  mom: '环比 =（统计月病例数 − 上月病例数）÷ 上月病例数；上月为 0 时不计算。',
};

/** While the month is still running, both sides of 同比/环比 count the same days (server: summary.ts). */
const sameDays = (through: string) => `统计月尚未结束：按同期比较，即各月 1 日至 ${Number(through.slice(8, 10))} 日的病例数。`;

function Label({ text, help }: { text: string; help: string }) {
  return (
    <Tooltip title={help}>
      <span>
        {text} <QuestionCircleOutlined style={{ color: '#999' }} />
      </span>
    </Tooltip>
  );
}

/** The 11 category cards; clicking one opens its case list. */
export function CategoryCards({
  cards,
  month,
  through,
  selected,
  onSelect,
}: {
  cards: CategoryCard[];
  month: string;
  through: string | null;
  selected?: string;
  onSelect(c: CategoryCard): void;
}) {
  const monthLabel = through ? `${month}（截至 ${Number(through.slice(8, 10))} 日）` : month;
  const yoyHelp = through ? `${HELP.yoy}${sameDays(through)}` : HELP.yoy;
  const momHelp = through ? `${HELP.mom}${sameDays(through)}` : HELP.mom;
  return (
    <Row gutter={[16, 16]}>
      {cards.map((c) => (
        <Col key={c.category} xs={24} sm={12} lg={8} xl={6}>
          <Card
            hoverable
            size="small"
            title={c.title}
            onClick={() => onSelect(c)}
            data-testid={`card-${c.category}`}
            style={selected === c.category ? { borderColor: '#1677ff' } : undefined}
            extra={<Typography.Text type="secondary">{monthLabel}</Typography.Text>}
          >
            <Space size={24} wrap>
              <Statistic title={<Label text="病例数" help={HELP.cases} />} value={c.cases} />
              <Statistic title={<Label text={through ? '本月至今' : '本月'} help={HELP.monthCases} />} value={c.monthCases} />
            </Space>
            <Space size={16} wrap style={{ marginTop: 8 }}>
              <Typography.Text>
                <Label text="最高" help={HELP.max} />：{c.max.cases}（{c.max.month}）
              </Typography.Text>
              <Typography.Text>
                <Label text="最低" help={HELP.min} />：{c.min.cases}（{c.min.month}）
              </Typography.Text>
            </Space>
            <Space size={16} wrap style={{ marginTop: 4 }}>
              <Typography.Text style={{ color: color(c.yoy) }}>
                <Label text={through ? '同比（同期）' : '同比'} help={yoyHelp} />：{pct(c.yoy)}
              </Typography.Text>
              <Typography.Text style={{ color: color(c.mom) }}>
                <Label text={through ? '环比（同期）' : '环比'} help={momHelp} />：{pct(c.mom)}
              </Typography.Text>
            </Space>
          </Card>
        </Col>
      ))}
    </Row>
  );
}
