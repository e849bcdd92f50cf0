import { Alert, Card, Descriptions, Input, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../../app/api';
import { fmtDate } from '../../../app/format';
import { MATCH, SEX } from './RegistrationsTab';
import type { Difference, Prefill } from '@server/systems/family-planning/household-verification/responses.ts';

/** 新建个案预填: by 出生登记号, the fields from the 公安 registration and the newborn library, with their differences. */
export function PrefillTab() {
  const [data, setData] = useState<Prefill | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const find = async (regNo: string) => {
    if (!regNo.trim()) return;
    setBusy(true);
    setError(null);
    try {
      setData(await api.get<Prefill>('/household-verification/prefill', { regNo: regNo.trim() }));
    } catch (e) {
      setData(null);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const p = data?.prefill;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Input.Search placeholder="出生登记号" enterButton="预填" loading={busy} style={{ width: 360 }} onSearch={find} />
      </Card>
      {error && <Alert type="error" showIcon message={error} />}
      {p && data && (
        <>
          <Card
            size="small"
            title={
              <span>
                预填信息 <Tag color={MATCH[data.matchStatus].color}>{MATCH[data.matchStatus].text}</Tag>
              </span>
            }
          >
            <Descriptions size="small" bordered column={2}>
              <Descriptions.Item label="出生登记号">{p.regNo}</Descriptions.Item>
              <Descriptions.Item label="出生医学证明编号">{p.certificateNo ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="姓名">{p.childName}</Descriptions.Item>
              <Descriptions.Item label="性别">{SEX[p.sex]}</Descriptions.Item>
              <Descriptions.Item label="出生日期">{fmtDate(p.birthDate)}</Descriptions.Item>
              <Descriptions.Item label="公民身份号码">{p.childIdMasked ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="母亲">
                {p.motherName ?? '—'} {p.motherIdMasked ?? ''}
              </Descriptions.Item>
              <Descriptions.Item label="父亲">
                {p.fatherName ?? '—'} {p.fatherIdMasked ?? ''}
              </Descriptions.Item>
              <Descriptions.Item label="分发街道">{p.streetName ?? '未映射'}</Descriptions.Item>
            </Descriptions>
          </Card>
          <Card size="small" title="公安登记与新生儿人口库差异">
            <Table<Difference>
              size="small"
              rowKey="field"
              pagination={false}
              dataSource={data.differences}
              locale={{ emptyText: data.matchStatus === 'missing' ? '新生儿人口库中无此出生登记号' : '两方信息一致' }}
              columns={[
                { title: '字段', dataIndex: 'title' },
                { title: '公安登记', dataIndex: 'police' },
                { title: '新生儿人口库', dataIndex: 'newborn' },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
