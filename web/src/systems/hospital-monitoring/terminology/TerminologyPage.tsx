import { Select, Space, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import { ErrorAlert } from '../../../components/page-states';
import { BrowserTab } from './BrowserTab';
import { ChangeRequestsTab } from './ChangeRequestsTab';
import { RecommendTab } from './RecommendTab';
import { VersionsTab } from './VersionsTab';
import type { SystemList, VersionList } from '@server/systems/hospital-monitoring/terminology/responses.ts';

/** 术语与分类代码: code browser, versions and diff, change requests, recommendation try-out. */
export function TerminologyPage() {
  const systems = useApi((sig) => api.get<SystemList>('/terminology/systems', {}, sig), []);
  const [system, setSystem] = useState<string>();
  const [version, setVersion] = useState<string>();
  const [tick, setTick] = useState(0);
  const versions = useApi((sig) => api.get<VersionList>('/terminology/versions', { system }, sig), [system, tick], Boolean(system));
  useEffect(() => {
    if (!system && systems.data?.items[0]) setSystem(systems.data.items[0].url);
  }, [systems.data, system]);
  const current = systems.data?.items.find((s) => s.url === system);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {systems.error ? <ErrorAlert error={systems.error} onRetry={systems.reload} /> : null}
      <Space wrap>
        <Select
          style={{ width: 420 }}
          value={system}
          onChange={(v) => {
            setSystem(v);
            setVersion(undefined);
          }}
          options={(systems.data?.items ?? []).map((s) => ({ value: s.url, label: `${s.title}${s.current ? `（${s.current.version}）` : '（未发布）'}` }))}
          data-testid="system-select"
        />
        <Select
          allowClear
          placeholder="当前版本"
          style={{ width: 160 }}
          value={version}
          onChange={setVersion}
          options={(versions.data?.items ?? []).map((v) => ({ value: v.version, label: `版本 ${v.version}` }))}
        />
        {current ? (
          <Typography.Text type="secondary">
            {current.publisher ?? ''} · <Typography.Text code>{current.url}</Typography.Text>
          </Typography.Text>
        ) : null}
      </Space>
      {system ? (
        <Tabs
          items={[
            { key: 'browse', label: '代码浏览', children: <BrowserTab key={`${system}:${tick}`} system={system} version={version} /> },
            { key: 'versions', label: '版本与差异', children: <VersionsTab key={`${system}:${tick}`} system={system} /> },
            {
              key: 'changes',
              label: '变更申请',
              children: (
                <ChangeRequestsTab
                  system={system}
                  onPublished={() => {
                    setTick((t) => t + 1);
                    systems.reload();
                  }}
                />
              ),
            },
            { key: 'recommend', label: '编码推荐', children: <RecommendTab system={system} /> },
          ]}
        />
      ) : null}
    </Space>
  );
}
