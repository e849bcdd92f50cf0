import { EyeOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Drawer, Space, Tag } from 'antd';
import { useState } from 'react';
import { useAccess } from '../../../app/access';
import { api } from '../../../app/api';
import { useDistrictFilter } from '../../../app/district-filter';
import { fmtDate, SEX } from '../../../app/format';
import type { Resident as MaskedResident, RevealedResident } from '@server/systems/common/resident-index/responses.ts';
import type { Region, RegionList } from '@server/systems/common/master-data/responses.ts';
import { useApi } from '../../../app/use-api';
import { CardSkeleton, ErrorState } from '../../../components/page-states';
import { RevealModal } from './RevealModal';
import { ID_TYPES, STATUS } from './types';

/** One resident (masked; the read itself is audited), with 调阅 of the full record on request. */
export function ResidentDrawer({ id, onClose }: { id: number | null; onClose(): void }) {
  const access = useAccess();
  const { districtName } = useDistrictFilter();
  const [revealOpen, setRevealOpen] = useState(false);
  const [revealed, setRevealed] = useState<{ r: RevealedResident; reason: string } | null>(null);
  const { data, error, loading, reload } = useApi((s) => api.get<MaskedResident>(`/residents/${id}`, undefined, s), [id], id !== null);

  // Unmasked data is kept only while this resident's drawer is open: another resident starts masked.
  const [shownId, setShownId] = useState(id);
  if (shownId !== id) {
    setShownId(id);
    setRevealed(null);
    setRevealOpen(false);
  }

  const r = data;
  // Street and 居委 arrive as codes: their names come from the region table of the resident's district.
  const streets = useApi(
    (s) => api.get<RegionList>('/regions', { level: 'street', parent: r?.residenceDistrict }, s),
    [r?.residenceDistrict],
    !!r?.residenceDistrict,
  );
  const communities = useApi(
    (s) => api.get<RegionList>('/regions', { level: 'community', parent: r?.residenceStreet ?? undefined }, s),
    [r?.residenceStreet],
    !!r?.residenceStreet,
  );
  const regionName = (list: Region[] | undefined, code: string | null) => (code ? (list?.find((x) => x.code === code)?.name ?? code) : '—');
  return (
    <Drawer title={r ? `居民信息：${r.name}` : '居民信息'} open={id !== null} onClose={onClose} size={620} destroyOnHidden data-testid="resident-drawer">
      {loading && <CardSkeleton rows={8} />}
      {!loading && error ? <ErrorState error={error} onRetry={reload} /> : null}
      {!loading && r && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions
            bordered
            size="small"
            column={2}
            items={[
              { key: 'name', label: '姓名', children: r.name },
              { key: 'sex', label: '性别', children: SEX[r.sex] ?? r.sex },
              { key: 'birth', label: '出生日期', children: `${fmtDate(r.birthDate)}${r.age != null ? `（${r.age} 岁）` : ''}` },
              { key: 'status', label: '状态', children: <Tag color={STATUS[r.status]?.color}>{STATUS[r.status]?.text ?? r.status}</Tag> },
              { key: 'idType', label: '证件类型', children: ID_TYPES[r.idType] ?? r.idType },
              { key: 'id', label: '证件号码', children: <span className="wj-mono">{r.idNumberMasked}</span> },
              { key: 'phone', label: '手机号', children: <span className="wj-mono">{r.phoneMasked ?? '—'}</span> },
              { key: 'hukou', label: '户籍区', children: r.hukouDistrict ? districtName(r.hukouDistrict) : '非本市户籍' },
              { key: 'res', label: '居住区', children: districtName(r.residenceDistrict) },
              { key: 'street', label: '居住街镇', children: regionName(streets.data?.items, r.residenceStreet) },
              { key: 'community', label: '居委', children: regionName(communities.data?.items, r.residenceCommunity) },
              { key: 'insured', label: '参保地', children: r.insuredPlace === '310000' ? '上海市' : (r.insuredPlace ?? '—') },
              ...(r.deathDate ? [{ key: 'death', label: '死亡日期', children: fmtDate(r.deathDate) }] : []),
            ]}
          />
          {!revealed && access.can('resident-index.reveal') && (
            <Button icon={<EyeOutlined />} onClick={() => setRevealOpen(true)} data-testid="reveal-button">
              查看完整信息
            </Button>
          )}
          {revealed && (
            <div data-testid="revealed">
              <Alert
                type="info"
                showIcon
                icon={<SafetyCertificateOutlined />}
                style={{ marginBottom: 12 }}
                title="本次调阅已记入审计日志"
                description={`调阅原因：${revealed.reason}。请勿截屏、复制或向无关人员透露居民个人信息。`}
              />
              <Descriptions
                bordered
                size="small"
                column={1}
                items={[
                  {
                    key: 'id',
                    label: '证件号码',
                    children: (
                      <span className="wj-mono" data-testid="full-id">
                        {revealed.r.idNumber}
                      </span>
                    ),
                  },
                  { key: 'phone', label: '手机号', children: <span className="wj-mono">{revealed.r.phone ?? '—'}</span> },
                  { key: 'address', label: '住址', children: revealed.r.address ?? '—' },
                  { key: 'card', label: '医保卡号', children: <span className="wj-mono">{revealed.r.insuranceCardNo ?? '—'}</span> },
                ]}
              />
            </div>
          )}
          <RevealModal
            residentId={r.id}
            name={r.name}
            open={revealOpen}
            onClose={() => setRevealOpen(false)}
            onRevealed={(full, reason) => {
              setRevealed({ r: full, reason });
              setRevealOpen(false);
            }}
          />
        </Space>
      )}
    </Drawer>
  );
}
