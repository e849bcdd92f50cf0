import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../../app/api';
import { useAccess } from '../../../app/access';
import { fmtTime } from '../../../app/format';
import { useApi } from '../../../app/use-api';
import { IndicatorEditorModal } from './IndicatorEditorModal';
import type { EditorCatalog, Indicator } from './types';
import type { IndicatorList } from '@server/systems/hospital-monitoring/indicators/responses.ts';

/** 自定义指标: the indicator list with each definition as a Chinese sentence; city-level managers add and version them. */
export function IndicatorsPage() {
  const access = useAccess();
  const canManage = access.can('indicators.manage') && access.isCityLevel;
  const [reloadKey, setReloadKey] = useState(0);
  const [editing, setEditing] = useState<Indicator | null>(null);
  const [open, setOpen] = useState(false);
  const list = useApi((s) => api.get<IndicatorList>('/indicators', undefined, s), [reloadKey]);
  const catalog = useApi((s) => api.get<EditorCatalog>('/indicators/catalog', undefined, s), []);

  return (
    <Card
      title="自定义指标"
      extra={
        canManage && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setEditing(null);
              setOpen(true);
            }}
            data-testid="indicator-new"
          >
            新建指标
          </Button>
        )
      }
    >
      <Table<Indicator>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        // The 口径 text wraps; below this width the table scrolls and 操作 stays pinned on the right.
        scroll={{ x: 960 }}
        columns={[
          {
            title: '指标',
            dataIndex: 'title',
            render: (v: string, r) => (
              <Space>
                {v}
                {r.builtin && <Tag>内置</Tag>}
              </Space>
            ),
          },
          {
            title: '口径（计算方法）',
            dataIndex: 'sentence',
            render: (v: string, r) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text>{v}</Typography.Text>
                {r.description && <Typography.Text type="secondary">{r.description}</Typography.Text>}
              </Space>
            ),
          },
          { title: '版本', dataIndex: 'version', width: 70, render: (v: number) => `v${v}` },
          { title: '更新', dataIndex: 'updatedAt', width: 170, render: (v: string) => fmtTime(v) },
          ...(canManage
            ? [
                {
                  title: '操作',
                  key: 'op',
                  width: 90,
                  fixed: 'right' as const,
                  render: (_: unknown, r: Indicator) => (
                    <Button
                      type="link"
                      size="small"
                      icon={<EditOutlined />}
                      onClick={() => {
                        setEditing(r);
                        setOpen(true);
                      }}
                    >
                      修改
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <IndicatorEditorModal
        open={open}
        catalog={catalog.data}
        editing={editing}
        onClose={() => setOpen(false)}
        onSaved={() => {
          setOpen(false);
          setReloadKey((k) => k + 1);
        }}
      />
    </Card>
  );
}
