import { SearchOutlined } from '@ant-design/icons';
import { Button, Checkbox, Form, Input, Select, Space, Tabs } from 'antd';
import { useState } from 'react';
import { useDistrictFilter } from '../../../app/district-filter';

export type ResidentQuery = { idNumber: string } | { name: string; district: string; fuzzy?: boolean } | { phone: string };

type Mode = 'id' | 'name' | 'phone';

/** The three exact look-ups the resident index allows: 身份证号 / 姓名+区 / 手机号. */
export function ResidentSearch({ onSearch }: { onSearch(q: ResidentQuery): void }) {
  const [mode, setMode] = useState<Mode>('name');
  const { district, fixed, districts } = useDistrictFilter();
  const [form] = Form.useForm();

  const submit = (v: { idNumber?: string; name?: string; district?: string; phone?: string; fuzzy?: boolean }) => {
    if (mode === 'id') onSearch({ idNumber: v.idNumber!.trim().toUpperCase() });
    if (mode === 'name') onSearch({ name: v.name!.trim(), district: v.district!, ...(v.fuzzy ? { fuzzy: true } : {}) });
    if (mode === 'phone') onSearch({ phone: v.phone!.trim() });
  };

  const fields: Record<Mode, React.ReactNode> = {
    id: (
      <Form.Item
        name="idNumber"
        rules={[
          { required: true, message: '请输入身份证号' },
          { pattern: /^\d{17}[\dXx]$/, message: '请输入 18 位居民身份证号码' },
        ]}
      >
        <Input placeholder="18 位居民身份证号码" style={{ width: 280 }} className="wj-mono" allowClear />
      </Form.Item>
    ),
    name: (
      <>
        <Form.Item name="name" rules={[{ required: true, message: '请输入姓名' }]}>
          <Input placeholder="姓名（可只输入姓）" style={{ width: 180 }} allowClear data-testid="resident-name" />
        </Form.Item>
        <Form.Item name="district" rules={[{ required: true, message: '请选择区' }]} initialValue={district}>
          <Select
            placeholder="居住区"
            aria-label="居住区"
            style={{ width: 160 }}
            disabled={fixed && !!district}
            options={districts.map((d) => ({ value: d.code, label: d.name }))}
            showSearch={{ optionFilterProp: 'label' }}
            data-testid="resident-district"
          />
        </Form.Item>
        <Form.Item name="fuzzy" valuePropName="checked">
          <Checkbox>模糊匹配</Checkbox>
        </Form.Item>
      </>
    ),
    phone: (
      <Form.Item
        name="phone"
        rules={[
          { required: true, message: '请输入手机号' },
          { pattern: /^1[3-9]\d{9}$/, message: '请输入 11 位手机号码' },
        ]}
      >
        <Input placeholder="11 位手机号码" style={{ width: 220 }} className="wj-mono" allowClear />
      </Form.Item>
    ),
  };

  return (
    <>
      <Tabs
        activeKey={mode}
        onChange={(k) => setMode(k as Mode)}
        items={[
          { key: 'id', label: '身份证号' },
          { key: 'name', label: '姓名 + 区' },
          { key: 'phone', label: '手机号' },
        ]}
      />
      <Form form={form} layout="inline" onFinish={submit} key={mode} data-testid="resident-search">
        <Space wrap align="start">
          {fields[mode]}
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
            查询
          </Button>
        </Space>
      </Form>
    </>
  );
}
