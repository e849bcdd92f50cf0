import { Descriptions, Drawer, Table, Typography } from 'antd';
import { api } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import { CardSkeleton, ErrorState } from '../../../components/page-states';
import { type FindingDetail, KIND_TITLE } from './types';

/** One case: the finding, why the rule hit, and the encounter's fee lines, diagnoses and procedures. */
export function CaseDrawer({ id, onClose }: { id: number | null; onClose(): void }) {
  const { data, error, loading, reload } = useApi((s) => api.get<FindingDetail>(`/compliance/findings/${id}`, undefined, s), [id], id !== null);
  const e = data?.encounter;
  return (
    <Drawer open={id !== null} onClose={onClose} width={760} title="病例详情">
      {loading && <CardSkeleton />}
      {error ? <ErrorState error={error} onRetry={reload} /> : null}
      {data && !loading && (
        <>
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label="监测类别">{data.categoryTitle}</Descriptions.Item>
            <Descriptions.Item label="命中规则">{`${data.ruleTitle}（v${data.ruleVersion}）`}</Descriptions.Item>
            <Descriptions.Item label="命中原因" span={2}>
              {data.reason}
              {Object.keys(data.detail ?? {}).length > 0 && (
                <Typography.Text type="secondary">
                  （
                  {Object.entries(data.detail)
                    .map(([k, v]) => `${k}=${String(v)}`)
                    .join('，')}
                  ）
                </Typography.Text>
              )}
            </Descriptions.Item>
            <Descriptions.Item label="机构">{data.institution}</Descriptions.Item>
            <Descriptions.Item label="科室">{data.department ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="医师">{data.practitioner ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="患者">{data.patient ?? '—'}</Descriptions.Item>
            {e && (
              <Descriptions.Item label="就诊">{`${KIND_TITLE[e.kind] ?? e.kind} ${e.admittedOn}${e.dischargedOn && e.dischargedOn !== e.admittedOn ? ` 至 ${e.dischargedOn}` : ''}`}</Descriptions.Item>
            )}
            <Descriptions.Item label="发生日期">{data.foundOn}</Descriptions.Item>
          </Descriptions>
          {e && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                收费明细
              </Typography.Title>
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={e.feeLines}
                rowClassName={(r) => (data.source === 'fee_line' && String(r.id) === data.objectKey ? 'ant-table-row-selected' : '')}
                columns={[
                  { title: '日期', dataIndex: 'chargedOn' },
                  { title: '项目', dataIndex: 'itemName' },
                  { title: '类别', dataIndex: 'category' },
                  { title: '数量', dataIndex: 'qty', align: 'right' },
                  { title: '单价', dataIndex: 'unitPrice', align: 'right' },
                  { title: '金额', dataIndex: 'amount', align: 'right' },
                ]}
              />
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                诊断与手术
              </Typography.Title>
              <Descriptions column={1} size="small">
                {e.diagnoses.map((d) => (
                  <Descriptions.Item key={`d${d.id}`} label={d.isPrimary ? '主要诊断' : '其他诊断'}>{`${d.icdCode} ${d.icdName}`}</Descriptions.Item>
                ))}
                {e.procedures.map((p) => (
                  <Descriptions.Item key={`p${p.id}`} label="手术操作">
                    {`${p.performedOn} ${p.procedureName}${p.surgeryGrade ? ` · ${p.surgeryGrade}级` : ''}${p.surgeon ? ` · 术者 ${p.surgeon}` : ''}`}
                  </Descriptions.Item>
                ))}
              </Descriptions>
            </>
          )}
        </>
      )}
    </Drawer>
  );
}
