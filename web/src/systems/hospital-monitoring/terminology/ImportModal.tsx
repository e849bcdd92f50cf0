import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Radio, Upload } from 'antd';
import { useState } from 'react';
import { api, errorText, ApiError } from '../../../app/api';

/** 导入代码表: CSV (code,display[,parent]) or FHIR CodeSystem JSON → a draft change request (whole file or nothing). */
export function ImportModal({ open, defaultUrl, onClose, onDone }: { open: boolean; defaultUrl?: string; onClose: () => void; onDone: (crId: number) => void }) {
  const [form] = Form.useForm();
  const [content, setContent] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);
  const format = Form.useWatch('format', form);
  const run = async () => {
    const v = await form.validateFields();
    if (!content) {
      setProblems(['请选择文件']);
      return;
    }
    setSaving(true);
    setProblems([]);
    try {
      const r = await api.post<{ changeRequestId: number }>('/terminology/import', { format: v.format, content, url: v.url || undefined, title: v.title || undefined, version: v.version || undefined });
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
          <Radio.Group options={[{ value: 'csv', label: 'CSV（表头 code,display[,parent]）' }, { value: 'fhir', label: 'FHIR CodeSystem（JSON）' }]} />
        </Form.Item>
        <Form.Item name="url" label="代码系统 URL" rules={format === 'csv' ? [{ required: true, message: 'CSV 须填写代码系统 URL' }] : []}>
          <Input placeholder="如 urn:weijian:sh:local-diagnoses（FHIR 文件可不填，取文件中的 url）" />
        </Form.Item>
        <Form.Item name="title" label="代码系统名称（新系统须填）">
          <Input />
        </Form.Item>
        <Form.Item name="version" label="发布版本号（可选）">
          <Input />
        </Form.Item>
        <Upload
          maxCount={1}
          accept=".csv,.json,.txt"
          beforeUpload={async (file) => {
            setContent(await file.text());
            return false;
          }}
          onRemove={() => setContent(null)}
        >
          <Button icon={<UploadOutlined />}>选择文件</Button>
        </Upload>
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
