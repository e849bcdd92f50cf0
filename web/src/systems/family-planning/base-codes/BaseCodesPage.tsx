import { Alert, Card, Col, Row, Space, Statistic, Table, Typography } from 'antd';
import type { BaseCodesSummary } from '@server/systems/family-planning/base-codes/responses.ts';
import { api } from '../../../app/api';
import { fmtNumber } from '../../../app/format';
import { useApi } from '../../../app/use-api';
import { DownloadButton } from '../../../components/DownloadButton';
import { ErrorAlert } from '../../../components/page-states';

/** 基础编码: regions, institutions and users of the user's scope in the national 基础编码管理系统 format. */
export function BaseCodesPage() {
  const s = useApi((sig) => api.get<BaseCodesSummary>('/base-codes/summary', {}, sig), []);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Alert
        type="info"
        showIcon
        message="按国家基础编码管理系统格式导出行政区划、医疗卫生机构和用户信息"
        description="行政区划代码按 GB/T 2260 扩展为 12 位；用户信息不含密码、动态口令等任何安全信息。导出范围为您的数据权限范围（区级用户导出本区），每次导出均记入审计日志。"
      />
      {s.error ? <ErrorAlert error={s.error} onRetry={s.reload} /> : null}
      <Card title={`导出（范围：${s.data?.scope ?? '…'}）`} loading={s.loading}>
        <Row gutter={16}>
          {(s.data?.items ?? []).map((x) => (
            <Col span={8} key={x.entity}>
              <Card size="small">
                <Statistic title={x.title} value={fmtNumber(x.count)} suffix="条" />
                <Space style={{ marginTop: 12 }}>
                  <DownloadButton url="/api/v1/base-codes/export" query={{ entity: x.entity, format: 'xlsx' }}>
                    Excel
                  </DownloadButton>
                  <DownloadButton url="/api/v1/base-codes/export" query={{ entity: x.entity, format: 'csv' }}>
                    CSV
                  </DownloadButton>
                </Space>
              </Card>
            </Col>
          ))}
        </Row>
        <div style={{ marginTop: 16 }}>
          <DownloadButton type="primary" url="/api/v1/base-codes/export" query={{ entity: 'all', format: 'xlsx' }}>
            导出全部（Excel，含字段说明）
          </DownloadButton>
        </div>
      </Card>
      <Card title="字段说明">
        {(s.data?.items ?? []).map((x) => (
          <div key={x.entity} style={{ marginBottom: 16 }}>
            <Typography.Title level={5}>{x.title}</Typography.Title>
            <Table
              size="small"
              rowKey="code"
              pagination={false}
              dataSource={x.fields}
              columns={[
                { title: '字段代码', dataIndex: 'code', width: 160 },
                { title: '字段名称', dataIndex: 'title' },
              ]}
            />
          </div>
        ))}
      </Card>
    </Space>
  );
}
