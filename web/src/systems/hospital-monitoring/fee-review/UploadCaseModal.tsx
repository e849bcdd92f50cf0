import { UploadOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Form, Input, InputNumber, Modal, Select, Upload } from 'antd';
import type { UploadFile } from 'antd/es/upload/interface';
import { useState } from 'react';
import { api, applyFieldErrors, errorText } from '../../../app/api';
import { DEVIATION_TITLE, type FeeCaseDetail } from './types';

interface Values {
  caseNo: string;
  patientMask?: string;
  dischargedOn?: { format(f: string): string };
  totalAmount?: number;
  deviationKind?: 'high' | 'low';
  explanation: string;
}

const MAX_BYTES = 7 * 1024 * 1024;

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(new Error('无法读取文件'));
    r.readAsDataURL(file);
  });
}

/** 医院上传费用偏离病例: the case PDF and the hospital's explanation. */
export function UploadCaseModal({ open, onClose, onUploaded }: { open: boolean; onClose(): void; onUploaded(c: FeeCaseDetail): void }) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const v = await form.validateFields();
    if (!file) {
      setFileError('请选择病例 PDF 文件');
      return;
    }
    setBusy(true);
    try {
      const c = await api.post<FeeCaseDetail>('/fee-review/cases', {
        caseNo: v.caseNo.trim(),
        patientMask: v.patientMask?.trim() || undefined,
        dischargedOn: v.dischargedOn?.format('YYYY-MM-DD'),
        totalAmount: v.totalAmount ?? undefined,
        deviationKind: v.deviationKind,
        explanation: v.explanation,
        filename: file.name,
        contentBase64: await readBase64(file),
      });
      message.success(`病例 ${c.caseNo} 已上传，识别出 ${c.sections.length} 个章节`);
      form.resetFields();
      setFile(null);
      onUploaded(c);
    } catch (e) {
      const rest = applyFieldErrors(form, e);
      const fileProblem = rest.find((d) => d.field === 'filename' || d.field === 'contentBase64' || d.field === 'file');
      if (fileProblem) setFileError(fileProblem.message);
      else message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const fileList: UploadFile[] = file ? [{ uid: '1', name: file.name, status: 'done' }] : [];
  return (
    <Modal open={open} title="上传费用偏离病例" okText="确认上传" onOk={submit} confirmLoading={busy} onCancel={onClose} width={640} destroyOnHidden>
      <Form form={form} layout="vertical">
        <Form.Item
          name="caseNo"
          label="病案号"
          rules={[
            { required: true, message: '请填写病案号' },
            { pattern: /^[A-Za-z0-9_-]+$/, message: '病案号只能包含字母、数字、下划线和连字符' },
          ]}
        >
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item
          name="patientMask"
          label="患者（脱敏姓名）"
          extra="只填写脱敏后的姓名，如 王*明"
          rules={[{ pattern: /^[^*]{1,3}\*{1,3}[^*]{0,2}$/, message: '请填写脱敏姓名，如 王*明' }]}
        >
          <Input maxLength={10} />
        </Form.Item>
        <Form.Item name="dischargedOn" label="出院日期">
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="totalAmount" label="住院总费用（元）">
          <InputNumber min={0} precision={2} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="deviationKind" label="偏离类型">
          <Select allowClear options={Object.entries(DEVIATION_TITLE).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item name="explanation" label="情况说明" rules={[{ required: true, message: '请填写费用偏离的情况说明' }]}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={5000} showCount />
        </Form.Item>
        <Form.Item label="病例文件（PDF，不超过 7 MB）" required validateStatus={fileError ? 'error' : undefined} help={fileError ?? undefined}>
          <Upload
            accept=".pdf,application/pdf"
            maxCount={1}
            fileList={fileList}
            onRemove={() => setFile(null)}
            beforeUpload={(f) => {
              if (!/\.pdf$/i.test(f.name)) setFileError('病例文件须为 PDF');
              else if (f.size > MAX_BYTES) setFileError('文件过大：不能超过 7 MB');
              else {
                setFileError(null);
                setFile(f);
              }
              return false;
            }}
          >
            <Button icon={<UploadOutlined />}>选择 PDF 文件</Button>
          </Upload>
        </Form.Item>
      </Form>
    </Modal>
  );
}
