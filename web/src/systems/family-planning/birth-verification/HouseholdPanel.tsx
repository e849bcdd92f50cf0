import { Alert, Button, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { fmtDate } from '../../../app/format';
import type { HouseholdField, HouseholdPrefill } from './types';

/** Fields of the approval form a 公安 registration can fill (what differs and 公安 has a value for). */
export function policeFill(data: HouseholdPrefill | undefined): { childName?: string; childSex?: 'M' | 'F'; birthDate?: string; fatherName?: string } {
  const v = (key: HouseholdField['key']) => data?.fields.find((f) => f.key === key && f.fillable && f.fillValue !== null)?.fillValue ?? undefined;
  const sex = v('childSex');
  const out = { childName: v('childName'), childSex: sex === 'M' || sex === 'F' ? sex : undefined, birthDate: v('birthDate'), fatherName: v('fatherName') };
  return Object.fromEntries(Object.entries(out).filter(([, x]) => x !== undefined));
}

export const policeDiffers = (data: HouseholdPrefill | undefined) => (data?.fields ?? []).some((f) => f.fillable && f.differs);

/**
 * 公安报出生户口信息: the registration of the task's birth beside the task's fields, differences in red;
 * `onApply` adds the 「采用公安信息预填」 button (fills the approval form, saves nothing).
 */
export function HouseholdPanel({ data, onApply, compact = false }: { data: HouseholdPrefill; onApply?: () => void; compact?: boolean }) {
  const r = data.record;
  return (
    <div data-testid="household-panel">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          公安报出生户口信息
        </Typography.Title>
        {onApply && data.found && data.fields.some((f) => f.fillable) && (
          <Button size="small" type="primary" ghost onClick={onApply}>
            采用公安信息预填
          </Button>
        )}
      </Space>
      {!data.found || !r ? (
        <Alert type="info" showIcon message={data.message} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          {!compact && (
            <Descriptions size="small" bordered column={2}>
              <Descriptions.Item label="出生登记号">
                <span className="wj-mono">{r.regNo}</span>
              </Descriptions.Item>
              <Descriptions.Item label="落户（登记）日期">{r.registeredOn ? fmtDate(r.registeredOn) : '—'}</Descriptions.Item>
              <Descriptions.Item label="登记派出所">
                {r.policeName}
                <span className="wj-mono" style={{ marginLeft: 6 }}>
                  {r.policeCode}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label="户籍所在街道">{r.hukouStreetName ?? r.hukouStreetCode ?? '未映射（待维护派出所对照）'}</Descriptions.Item>
              <Descriptions.Item label="儿童身份证号">
                <span className="wj-mono">{r.childIdMasked ?? '—'}</span>
              </Descriptions.Item>
              <Descriptions.Item label="匹配方式">{r.matchedByTitle}</Descriptions.Item>
            </Descriptions>
          )}
          <Alert type={data.fields.some((f) => f.differs) ? 'warning' : 'success'} showIcon message={data.message} />
          <Table<HouseholdField>
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={data.fields}
            onRow={(f) => ({ style: f.differs ? { background: '#fff1f0' } : undefined })}
            columns={[
              { title: '项目', dataIndex: 'title', width: 100 },
              { title: '本任务（市妇幼）', dataIndex: 'taskValue', render: (v: string | null) => v ?? '—' },
              {
                title: '公安登记',
                key: 'police',
                render: (_, f) => (
                  <Space size={4}>
                    <Typography.Text type={f.differs ? 'danger' : undefined} strong={f.differs}>
                      {f.policeValue ?? '—'}
                    </Typography.Text>
                    {f.differs && <Tag color="red">不一致</Tag>}
                  </Space>
                ),
              },
            ]}
          />
        </Space>
      )}
    </div>
  );
}
