import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Radio, Upload } from 'antd';
import { useState } from 'react';
import { api, errorText, ApiError } from '../../../app/api';
import type { ImportResult } from '@server/systems/hospital-monitoring/terminology/responses.ts';

/**
 * 导入代码表: CSV (code,display[,parent]), FHIR CodeSystem JSON, the WHO ICD-11 MMS SimpleTabulation or a
 * SNOMED CT RF2 snapshot (three files) → a draft change request (whole file or nothing).
 */
export function ImportModal({
  open,
  defaultUrl,
  onClose,
  onDone,
}: {
  open: boolean;
  defaultUrl?: string;
  onClose: () => void;
  onDone: (crId: number) => void;
}) {
  const [form] = Form.useForm();
  const [content, setContent] = useState<string | null>(null);
  const [rf2, setRf2] = useState<{ descriptions?: string; relationships?: string }>({});
  const [problems, setProblems] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const format = Form.useWatch('format', form);
  const run = async () => {
    const v = await form.validateFields();
    if (!content) {
      setProblems(['请选择文件']);
      return;
    }
    if (v.format === 'snomed-rf2' && (!rf2.descriptions || !rf2.relationships)) {
      setProblems(['SNOMED CT RF2 须选择概念、描述、关系三个快照文件']);
      return;
    }
    setSaving(true);
    setProblems([]);
    try {
      const r = await api.post<ImportResult>('/terminology/import', {
        format: v.format,
        content,
        ...(v.format === 'snomed-rf2' ? rf2 : {}),
        url: v.url || undefined,
        title: v.title || undefined,
        version: v.version || undefined,
        extends: v.extends || undefined,
      });
      onDone(r.changeRequestId);
    } catch (e) {
      setProblems([errorText(e), ...(e instanceof ApiError ? e.details.map((d) => d.message) : [])]);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal title="导入代码表" open={open} onCancel={onClose} onOk={run} confirmLoading={saving} okText="导入为变更申请" destroyOnHidden width={640}>
      <Alert
        type="info"
        style={{ marginBottom: 12 }}
        message="整表校验：任一行有误则不写入任何内容，并逐行说明。导入结果为“草稿”变更申请，需提交、由他人审核后发布。已有代码系统按差异生成新增、改名、移动、停用。"
      />
      <Form form={form} layout="vertical" initialValues={{ format: 'csv', url: defaultUrl }}>
        <Form.Item name="format" label="格式">
          <Radio.Group
            options={[
              { value: 'csv', label: 'CSV（表头 code,display[,parent]）' },
              { value: 'fhir', label: 'FHIR CodeSystem（JSON）' },
              { value: 'icd11', label: 'ICD-11 MMS SimpleTabulation（制表符分隔）' },
              { value: 'snomed-rf2', label: 'SNOMED CT RF2 快照（三个文件）' },
            ]}
          />
        </Form.Item>
        <Form.Item name="url" label="代码系统 URL" rules={format === 'csv' || !format ? [{ required: true, message: 'CSV 须填写代码系统 URL' }] : []}>
          <Input placeholder="如 urn:weijian:sh:local-diagnoses（FHIR、ICD-11、SNOMED CT 可不填，取文件或标准的 URL）" />
        </Form.Item>
        <Form.Item name="title" label="代码系统名称（新系统须填）">
          <Input />
        </Form.Item>
        <Form.Item name="version" label="发布版本号（可选）">
          <Input />
        </Form.Item>
        <Form.Item
          name="extends"
          label="扩展自（可选）"
          extra="本地扩展（如上海扩增码）：填写基础代码系统 URL，文件中的上级代码可以是基础代码系统的代码；浏览与查询时扩展与基础合为一棵树。"
        >
          <Input placeholder="如 http://www.nhsa.gov.cn/fhir/CodeSystem/icd10-yb" />
        </Form.Item>
        <Upload
          maxCount={1}
          accept=".csv,.json,.txt,.tsv"
          beforeUpload={async (file) => {
            setContent(await file.text());
            return false;
          }}
          onRemove={() => setContent(null)}
        >
          <Button icon={<UploadOutlined />}>{format === 'snomed-rf2' ? '概念快照文件（sct2_Concept_Snapshot）' : '选择文件'}</Button>
        </Upload>
        {format === 'snomed-rf2' ? (
          <>
            <Upload
              maxCount={1}
              accept=".txt"
              beforeUpload={async (file) => {
                const descriptions = await file.text();
                setRf2((x) => ({ ...x, descriptions }));
                return false;
              }}
              onRemove={() => setRf2((x) => ({ ...x, descriptions: undefined }))}
            >
              <Button icon={<UploadOutlined />} style={{ marginTop: 8 }}>
                描述快照文件（sct2_Description_Snapshot）
              </Button>
            </Upload>
            <Upload
              maxCount={1}
              accept=".txt"
              beforeUpload={async (file) => {
                const relationships = await file.text();
                setRf2((x) => ({ ...x, relationships }));
                return false;
              }}
              onRemove={() => setRf2((x) => ({ ...x, relationships: undefined }))}
            >
              <Button icon={<UploadOutlined />} style={{ marginTop: 8 }}>
                关系快照文件（sct2_Relationship_Snapshot）
              </Button>
            </Upload>
          </>
        ) : null}
      </Form>
      {problems.length ? (
        <Alert
          type="error"
          style={{ marginTop: 12, maxHeight: 240, overflow: 'auto' }}
          message={problems[0]}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {problems.slice(1).map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          }
        />
      ) : null}
    </Modal>
  );
}
