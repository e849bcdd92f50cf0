import { Tabs } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import { MessageDrawer } from './MessageDrawer';
import { MessagesCard } from './MessagesCard';
import { SystemsCard } from './SystemsCard';
import type { OutsideSystem } from './types';

const TABS = [
  { key: 'systems', label: '适配器状态' },
  { key: 'outbox', label: '发件箱' },
  { key: 'dead', label: '死信' },
];

/** 外部系统对接: adapter health and circuit state, the outbox, dead letters with retry (?tab=…). */
export function IntegrationPage() {
  const [params, setParams] = useSearchParams();
  const tab = TABS.some((x) => x.key === params.get('tab')) ? (params.get('tab') as string) : 'systems';
  const systems = useApi((s) => api.get<{ items: OutsideSystem[] }>('/integration/systems', undefined, s), []);
  const [system, setSystem] = useState<string>();
  const [open, setOpen] = useState<number | null>(null);
  const go = (k: string) => setParams(k === 'systems' ? {} : { tab: k }, { replace: true });
  const deadCount = (systems.data?.items ?? []).reduce((n, s) => n + s.counts.dead, 0);
  const items = systems.data?.items ?? [];

  const body = (key: string) =>
    key === 'systems' ? (
      <SystemsCard
        systems={systems}
        onShowDead={(s) => {
          setSystem(s);
          go('dead');
        }}
      />
    ) : (
      <MessagesCard systems={items} system={system} setSystem={setSystem} deadOnly={key === 'dead'} onOpen={setOpen} onRetried={systems.reload} />
    );

  return (
    <>
      <Tabs
        activeKey={tab}
        onChange={go}
        destroyInactiveTabPane
        items={TABS.map((x) => ({ ...x, label: x.key === 'dead' && deadCount > 0 ? `${x.label}（${deadCount}）` : x.label, children: body(x.key) }))}
      />
      <MessageDrawer id={open} onClose={() => setOpen(null)} />
    </>
  );
}
