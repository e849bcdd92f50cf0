import { Alert, Button, Descriptions, Drawer, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useAccess } from '../../../app/access';
import { api } from '../../../app/api';
import { useDistrictFilter } from '../../../app/district-filter';
import { fmtDate, fmtTime } from '../../../app/format';
import { useApi } from '../../../app/use-api';
import { CardSkeleton, ErrorState } from '../../../components/page-states';
import { AgreementsPanel } from './AgreementsPanel';
import { EmergencyContacts } from './EmergencyContacts';
import { type ActionMode, ContractActionModal } from './ContractActionModal';
import { CHANNEL, COLOUR, type ContractDetail, type ContractEvent, chancesText, EVENT_KIND, INITIATOR } from './types';

/** One contract: the combination, the cycle, the remaining chances, the history, and the acts on it. */
export function ContractDrawer({ id, onClose, onChanged }: { id: number | null; onClose(): void; onChanged(id: number): void }) {
  const access = useAccess();
  const { districtName } = useDistrictFilter();
  const [mode, setMode] = useState<ActionMode | null>(null);
  const { data: c, error, loading, reload } = useApi((s) => api.get<ContractDetail>(`/family-doctor/contracts/${id}`, undefined, s), [id], id !== null);
  const live = c?.status === 'active' && c.colour !== 'red';
  const canSign = access.can('family-doctor.sign');

  return (
    <Drawer
      title={c ? `签约详情：${c.personName ?? c.personId}` : '签约详情'}
      open={id !== null}
      onClose={onClose}
      size={760}
      destroyOnHidden
      data-testid="fd-contract-drawer"
    >
      {loading && <CardSkeleton rows={8} />}
      {!loading && error ? <ErrorState error={error} onRetry={reload} /> : null}
      {!loading && c && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Space wrap>
            {c.colour ? (
              <Tag color={COLOUR[c.colour].color}>
                {COLOUR[c.colour].text}·{COLOUR[c.colour].hint}
              </Tag>
            ) : (
              <Tag>已解约</Tag>
            )}
            {c.tags.map((t) => (
              <Tag key={t}>{t}</Tag>
            ))}
          </Space>
          <Descriptions
            bordered
            size="small"
            column={2}
            items={[
              { key: 'name', label: '居民', children: `${c.personName ?? c.personId}${c.age != null ? `（${c.age} 岁）` : ''}` },
              { key: 'id', label: '身份证号', children: <span className="wj-mono">{c.idNumberMasked ?? '—'}</span> },
              { key: 'chc', label: '签约机构', children: c.institutionName },
              { key: 'doctor', label: '家庭医生', children: `${c.doctorName ?? c.doctorId}${c.teamName ? `（${c.teamName}）` : ''}` },
              { key: 'dh', label: '区级医院', children: c.districtHospitalName ?? '—' },
              { key: 'ch', label: '市级医院', children: c.cityHospitalName ?? '—' },
              { key: 'cycle', label: '签约周期', children: `${fmtDate(c.cycleStart)} 至 ${fmtDate(c.cycleEnd)}（${c.cycleYears} 年）` },
              { key: 'since', label: '签约当前医生自', children: fmtDate(c.doctorSince) },
              { key: 'channel', label: '签约渠道', children: CHANNEL[c.channel] },
              { key: 'district', label: '居住区', children: districtName(c.districtCode) },
              {
                key: 'contacts',
                label: '紧急联系人',
                span: 2,
                children: <EmergencyContacts contractId={c.id} contacts={c.emergencyContacts} canReveal={canSign} />,
              },
              ...(c.terminatedOn
                ? [
                    {
                      key: 'end',
                      label: '解约',
                      span: 2,
                      children: `${fmtDate(c.terminatedOn)}，${INITIATOR[c.terminationInitiator ?? ''] ?? ''}发起：${c.terminationReason ?? ''}`,
                    },
                  ]
                : []),
            ]}
          />
          {c.status === 'active' && (
            <Alert type="info" showIcon title="剩余机会" description={<span data-testid="fd-chances">{chancesText(c.chances)}</span>} />
          )}
          {c.status === 'active' && (
            <Space wrap>
              {canSign && c.colour === 'yellow' && (
                <Button type="primary" onClick={() => setMode('renew')} data-testid="fd-renew">
                  续约
                </Button>
              )}
              {canSign && live && <Button onClick={() => setMode('transfer')}>社区内转签</Button>}
              {canSign && live && <Button onClick={() => setMode('change-doctor')}>更换家庭医生</Button>}
              {canSign && live && <Button onClick={() => setMode('hospitals')}>更换上级医院</Button>}
              {access.can('family-doctor.terminate') && (
                <Button danger onClick={() => setMode('terminate')} data-testid="fd-terminate">
                  解约
                </Button>
              )}
            </Space>
          )}
          {c.colour === 'red' && <Alert type="warning" showIcon title="签约已过期超过宽限期（红色）：该居民可作为新居民重新签约。" />}
          <Typography.Title level={5}>签约记录</Typography.Title>
          <Table<ContractEvent>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={c.events}
            columns={[
              { title: '日期', dataIndex: 'onDate', render: (v: string) => fmtDate(v) },
              { title: '事项', dataIndex: 'kind', render: (v: string) => EVENT_KIND[v] ?? v },
              { title: '发起方', dataIndex: 'initiator', render: (v: string) => INITIATOR[v] ?? v },
              { title: '原因', dataIndex: 'reason', render: (v: string | null) => v ?? '—' },
              { title: '标签', dataIndex: 'tags', render: (v: string[]) => v.map((t) => <Tag key={t}>{t}</Tag>) },
              { title: '操作人', dataIndex: 'operatorName', render: (v: string | null) => v ?? '—' },
              { title: '记录时间', dataIndex: 'at', render: (v: string) => fmtTime(v) },
            ]}
          />
          <Typography.Title level={5}>协议书</Typography.Title>
          <AgreementsPanel contractId={c.id} doctorId={c.doctorId} active={c.status === 'active'} canSign={canSign} />
          {mode && (
            <ContractActionModal
              mode={mode}
              contract={c}
              onClose={() => setMode(null)}
              onDone={(next) => {
                setMode(null);
                reload();
                onChanged(next.id);
              }}
            />
          )}
        </Space>
      )}
    </Drawer>
  );
}
