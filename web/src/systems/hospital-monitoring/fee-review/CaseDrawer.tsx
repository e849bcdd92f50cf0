import { Alert, App, Button, Card, Collapse, Descriptions, Drawer, Form, Input, Radio, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, applyFieldErrors, errorText } from '../../../app/api';
import { fmtTime } from '../../../app/format';
import { useApi } from '../../../app/use-api';
import { DownloadButton } from '../../../components/DownloadButton';
import { CardSkeleton, ErrorAlert } from '../../../components/page-states';
import { CONCLUSION_COLOR, CONCLUSION_OPTIONS, DEVIATION_TITLE, type FeeCaseDetail, type FindingResult, RESULT_OPTIONS, STATUS_COLOR } from './types';

interface ReviewValues {
  findings: Record<string, { result?: FindingResult; note?: string }>;
  conclusion?: string;
  note?: string;
}

/** One case: its data, the case file by section, the PDF, and the expert's review along the dimensions. */
export function CaseDrawer({ id, onClose, onChanged }: { id: number | null; onClose(): void; onChanged(): void }) {
  const { message } = App.useApp();
  const [tick, setTick] = useState(0);
  const c = useApi((s) => api.get<FeeCaseDetail>(`/fee-review/cases/${id}`, undefined, s), [id, tick], id !== null);
  const [form] = Form.useForm<ReviewValues>();
  const [busy, setBusy] = useState(false);
  const d = c.data;

  const start = async () => {
    setBusy(true);
    try {
      await api.post(`/fee-review/cases/${id}/start-review`);
      message.success('已开始核查');
      setTick((t) => t + 1);
      onChanged();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const conclude = async () => {
    const v = await form.validateFields();
    if (!d) return;
    setBusy(true);
    try {
      await api.post(`/fee-review/cases/${id}/conclude`, {
        findings: d.dimensions.map((dim) => ({
          dimension: dim.code,
          result: v.findings[dim.code]?.result,
          note: v.findings[dim.code]?.note?.trim() || undefined,
        })),
        conclusion: v.conclusion,
        note: v.note,
      });
      message.success('核查结论已提交');
      form.resetFields();
      setTick((t) => t + 1);
      onChanged();
    } catch (e) {
      const rest = applyFieldErrors(form, e);
      message.error(rest[0]?.message ?? errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer open={id !== null} onClose={onClose} size="large" width={900} title={d ? `费用偏离病例 ${d.caseNo}` : '费用偏离病例'} destroyOnHidden>
      {c.error ? <ErrorAlert error={c.error} onRetry={() => setTick((t) => t + 1)} /> : null}
      {!d && !c.error && <CardSkeleton rows={8} />}
      {d && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions size="small" bordered column={2}>
            <Descriptions.Item label="医疗机构">{d.institutionName}</Descriptions.Item>
            <Descriptions.Item label="状态">
              <Tag color={STATUS_COLOR[d.status]}>{d.statusTitle}</Tag>
            </Descriptions.Item>
            <Descriptions.Item label="病案号">{d.caseNo}</Descriptions.Item>
            <Descriptions.Item label="患者">{d.patientMask ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="出院日期">{d.dischargedOn ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="总费用（元）">{d.totalAmount ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="偏离类型">{d.deviationKind ? DEVIATION_TITLE[d.deviationKind] : '—'}</Descriptions.Item>
            <Descriptions.Item label="上传">
              {d.uploadedBy}，{fmtTime(d.uploadedAt)}
            </Descriptions.Item>
            <Descriptions.Item label="核查专家">{d.reviewer ? `${d.reviewer}，${fmtTime(d.reviewStartedAt)}` : '—'}</Descriptions.Item>
            <Descriptions.Item label="病例文件">
              <DownloadButton size="small" url={`/fee-review/cases/${d.id}/pdf`} filename={d.filename}>
                {d.filename}
                {d.pageCount ? `（${d.pageCount} 页）` : ''}
              </DownloadButton>
            </Descriptions.Item>
            <Descriptions.Item label="医院情况说明" span={2}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{d.explanation}</Typography.Paragraph>
            </Descriptions.Item>
          </Descriptions>

          <Card size="small" title={`病历内容（按章节识别，${d.sections.length} 个章节）`}>
            {d.sections.length === 0 ? (
              <Alert type="warning" showIcon title="未能从 PDF 中提取文字（可能是扫描件），请下载病例文件查看" />
            ) : (
              <Collapse
                size="small"
                defaultActiveKey={d.sections.slice(0, 1).map((_, i) => String(i))}
                items={d.sections.map((s, i) => ({
                  key: String(i),
                  label: (
                    <Space>
                      <Tag color={s.code === 'preamble' ? 'default' : 'blue'}>{s.title}</Tag>
                      <Typography.Text type="secondary">{s.heading ?? ''}</Typography.Text>
                    </Space>
                  ),
                  children: (
                    <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0, maxHeight: 360, overflow: 'auto' }}>{s.text}</Typography.Paragraph>
                  ),
                }))}
              />
            )}
          </Card>

          {d.actions.includes('start_review') && (
            <Button type="primary" loading={busy} onClick={start}>
              开始核查
            </Button>
          )}

          {d.actions.includes('conclude') && (
            <Card size="small" title="专家核查（按核查维度逐项填写）">
              <Form form={form} layout="vertical">
                {d.dimensions.map((dim) => (
                  <div key={dim.code} style={{ marginBottom: 8 }} data-testid="dimension">
                    <Typography.Text strong>{dim.title}</Typography.Text>
                    {dim.description && (
                      <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                        {dim.description}
                      </Typography.Text>
                    )}
                    <Space align="start" style={{ width: '100%', marginTop: 4 }}>
                      <Form.Item name={['findings', dim.code, 'result']} rules={[{ required: true, message: '请选择' }]} style={{ marginBottom: 0 }}>
                        <Radio.Group options={RESULT_OPTIONS} optionType="button" size="small" />
                      </Form.Item>
                      <Form.Item noStyle shouldUpdate>
                        {({ getFieldValue }) => (
                          <Form.Item
                            name={['findings', dim.code, 'note']}
                            style={{ marginBottom: 0, width: 420 }}
                            rules={[{ required: getFieldValue(['findings', dim.code, 'result']) === 'issue', message: '存在问题时须写明问题' }]}
                          >
                            <Input placeholder="核查意见（存在问题时必填）" maxLength={2000} />
                          </Form.Item>
                        )}
                      </Form.Item>
                    </Space>
                  </div>
                ))}
                <Form.Item name="conclusion" label="核查结论" rules={[{ required: true, message: '请选择核查结论' }]}>
                  <Radio.Group
                    data-testid="conclusion"
                    options={CONCLUSION_OPTIONS.map(({ value, label }) => ({ value, label }))}
                    optionType="button"
                    buttonStyle="solid"
                  />
                </Form.Item>
                <Form.Item name="note" label="结论说明" rules={[{ required: true, message: '请填写结论说明' }]}>
                  <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={5000} />
                </Form.Item>
                <Button type="primary" loading={busy} onClick={conclude}>
                  提交核查结论
                </Button>
              </Form>
            </Card>
          )}

          {d.status === 'concluded' && (
            <Card size="small" title="核查结论">
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Space>
                  <Tag color={CONCLUSION_COLOR[d.conclusion!]}>{d.conclusionTitle}</Tag>
                  <Typography.Text type="secondary">
                    {d.reviewer}，{fmtTime(d.concludedAt)}
                  </Typography.Text>
                </Space>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{d.conclusionNote}</Typography.Paragraph>
                <Table
                  size="small"
                  pagination={false}
                  rowKey="dimensionCode"
                  dataSource={d.findings}
                  columns={[
                    { title: '核查维度', dataIndex: 'dimensionTitle', width: 140 },
                    {
                      title: '结果',
                      dataIndex: 'resultTitle',
                      width: 120,
                      render: (v: string, r) => <Tag color={r.result === 'issue' ? 'red' : r.result === 'compliant' ? 'green' : 'default'}>{v}</Tag>,
                    },
                    { title: '意见', dataIndex: 'note', render: (v: string | null) => v ?? '—' },
                  ]}
                />
              </Space>
            </Card>
          )}
        </Space>
      )}
    </Drawer>
  );
}
