import { Card, Space, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { useDistrictFilter } from '../../../app/district-filter';
import { DistrictMapCard } from './DistrictMapCard';
import { InstitutionTable } from './InstitutionTable';
import { DistrictTable, StreetTable } from './RegionTables';

/** 主数据: districts, streets and institutions, with the district map as a filter. */
export function MasterDataPage() {
  const global = useDistrictFilter();
  // Starts from the header's district; the map and the 区县 table change it for this page only.
  const [picked, setPicked] = useState<string | undefined>(global.district);
  const district = global.fixed ? global.district : picked;
  const [tab, setTab] = useState('institutions');
  const name = district ? global.districtName(district) : '全市';

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <DistrictMapCard selected={district} onSelect={setPicked} fixed={global.fixed} />
      <Card
        title={
          <Space>
            主数据
            <Tag color={district ? 'blue' : 'default'} data-testid="master-data-district">
              {name}
            </Tag>
          </Space>
        }
      >
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'districts',
              label: '区县',
              children: (
                <DistrictTable
                  selected={district}
                  onSelect={(c) => {
                    if (global.fixed) return;
                    setPicked(c);
                    setTab('streets');
                  }}
                />
              ),
            },
            { key: 'streets', label: '街镇', children: <StreetTable district={district} districtName={name} /> },
            { key: 'institutions', label: '医疗机构', children: <InstitutionTable district={district} districtName={global.districtName} /> },
          ]}
        />
      </Card>
    </Space>
  );
}
