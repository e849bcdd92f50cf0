import { InboxOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, List, Progress, Select, Space, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { api, errorText } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import { EmptyState, ErrorAlert } from '../../../components/page-states';
import { RuleExtractConfirmModal } from './RuleExtractConfirmModal';
import { RuleExtractSentence } from './RuleExtractSentence';
import type { ExtractorOption, ExtractResult, RuleCandidate } from './RuleExtractTypes';
import type { BuilderCatalog } from './types';

const MAX_BYTES = 7 * 1024 * 1024;
const KIND_TITLE = { pdf: 'PDF', docx: 'Word (DOCX)', txt: '文本' } as const;

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(new Error('无法读取文件'));
    r.readAsDataURL(file);
  });
}

/** 政策文件规则提取: upload a policy document, review the candidate rules, confirm one into a draft rule. */
export function RuleExtractPage() {
  const { message } = App.useApp();
  const extractors = useApi((s) => api.get<ExtractorOption[]>('/compliance/rule-extract/extractors', undefined, s), []);
  const catalog = useApi((s) => api.get<BuilderCatalog>('/compliance/catalog', undefined, s), []);
  const [extractor, setExtractor] = useState<string>('builtin');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<ExtractResult | null>(null);
  const [editing, setEditing] = useState<RuleCandidate | null>(null);
  const [created, setCreated] = useState<Record<string, string>>({});

  const upload = async (file: File) => {
    if (file.size > MAX_BYTES) {
      message.error('文件过大：不能超过 7 MB');
      return;
    }
    setBusy(true);
    setError(null);
    setResult(null);
    setCreated({});
    try {
      const contentBase64 = await readBase64(file);
      setResult(await api.post<ExtractResult>('/compliance/rule-extract', { filename: file.name, contentBase64, extractor }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title="政策文件规则提取"
        extra={
          <Space>
            <Typography.Text type="secondary">识别方式</Typography.Text>
            <Select
              style={{ width: 240 }}
              value={extractor}
              onChange={setExtractor}
              options={(extractors.data ?? [{ name: 'builtin', title: '内置规则模式识别', default: true }]).map((e) => ({ value: e.name, label: e.title }))}
            />
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">
          上传医保、物价或卫生健康政策文件（PDF、DOCX、TXT），系统提取文字并识别“每日不超过N次”“不得同时收取A和B”“限…使用”“须具备…资质”等条款，生成候选规则。
          候选规则经人工确认或修改后生成未启用的草稿规则，可在“监测规则管理”中预览命中后启用。
        </Typography.Paragraph>
        <Upload.Dragger
          accept=".pdf,.docx,.txt"
          showUploadList={false}
          disabled={busy}
          beforeUpload={(file) => {
            void upload(file);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{busy ? '正在提取文字并识别规则…' : '点击或拖拽政策文件到此处上传'}</p>
          <p className="ant-upload-hint">支持 PDF、DOCX、TXT，单个文件不超过 7 MB；扫描件须先进行文字识别</p>
        </Upload.Dragger>
        {error ? <ErrorAlert error={error} style={{ marginTop: 16 }} /> : null}
        {extractors.error ? <ErrorAlert error={extractors.error} style={{ marginTop: 16 }} /> : null}
      </Card>

      {result && (
        <Card title={`候选规则（${result.candidates.length} 条）`}>
          <Descriptions size="small" column={4} style={{ marginBottom: 16 }}>
            <Descriptions.Item label="文件">{result.document.filename}</Descriptions.Item>
            <Descriptions.Item label="格式">
              {KIND_TITLE[result.document.kind]}
              {result.document.pageCount ? `，${result.document.pageCount} 页` : ''}
            </Descriptions.Item>
            <Descriptions.Item label="文字">
              {result.document.chars} 字，{result.document.sentenceCount} 句
            </Descriptions.Item>
            <Descriptions.Item label="识别方式">{result.extractor.title}</Descriptions.Item>
          </Descriptions>
          {result.candidates.length === 0 ? (
            <EmptyState description="未在文件中识别出可监测的规则条款。可在“监测规则管理”中用规则构建器手工新建。" />
          ) : (
            <List
              itemLayout="vertical"
              dataSource={result.candidates}
              renderItem={(c) => (
                <List.Item
                  key={c.key}
                  data-testid="candidate"
                  actions={[
                    created[c.key] ? (
                      <Tag color="success" key="done">
                        已生成草稿：{created[c.key]}
                      </Tag>
                    ) : (
                      <Button key="confirm" type="primary" size="small" onClick={() => setEditing(c)}>
                        {c.rule ? '确认 / 修改' : '补充条件后生成'}
                      </Button>
                    ),
                  ]}
                  extra={<Progress aria-label="置信度" type="circle" size={48} percent={Math.round(c.confidence * 100)} format={(p) => `${p}%`} />}
                >
                  <List.Item.Meta
                    title={
                      <Space wrap>
                        <span>{c.title}</span>
                        <Tag color="blue">{c.categoryTitle}</Tag>
                        <Tag>{c.patternTitle}</Tag>
                        {!c.rule && <Tag color="warning">需人工补充条件</Tag>}
                      </Space>
                    }
                    description={c.description ?? undefined}
                  />
                  <RuleExtractSentence sentence={c.sentence} match={c.match} />
                  {c.warnings.map((w) => (
                    <Alert key={w} type="warning" showIcon title={w} style={{ marginTop: 8 }} />
                  ))}
                </List.Item>
              )}
            />
          )}
        </Card>
      )}
      {catalog.error ? <Alert type="error" title={`数据目录加载失败：${errorText(catalog.error)}`} /> : null}
      <RuleExtractConfirmModal
        candidate={editing}
        filename={result?.document.filename ?? ''}
        extractor={result?.extractor.name ?? extractor}
        categories={catalog.data?.categories ?? []}
        onClose={() => setEditing(null)}
        onCreated={(rule) => {
          if (editing) setCreated((m) => ({ ...m, [editing.key]: `#${rule.id} ${rule.title}` }));
          setEditing(null);
        }}
      />
    </Space>
  );
}
