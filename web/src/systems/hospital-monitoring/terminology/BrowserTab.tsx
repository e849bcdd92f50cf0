import { Card, Col, Input, List, Row, Space, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useEffect, useState } from 'react';
import { api } from '../../../app/api';
import { useApi } from '../../../app/use-api';
import { ErrorAlert } from '../../../components/page-states';
import { ConceptPanel } from './ConceptPanel';
import type { BrowseResult, SearchResult } from '@server/systems/hospital-monitoring/terminology/responses.ts';

type BrowseItem = BrowseResult['items'][number];

const MATCH_TEXT: Record<string, string> = { code: '代码', name: '名称', synonym: '同义词', words: '词语', pinyin: '全拼', initials: '首字母' };

function toNodes(items: BrowseItem[]): DataNode[] {
  return items.map((i) => ({ key: i.code, title: `${i.code} ${i.display}${i.status === 'retired' ? '（停用）' : ''}`, isLeaf: !i.hasChildren }));
}

function setChildren(nodes: DataNode[], key: React.Key, children: DataNode[]): DataNode[] {
  return nodes.map((n) => (n.key === key ? { ...n, children } : n.children ? { ...n, children: setChildren(n.children, key, children) } : n));
}

/** 代码浏览: the hierarchy as a lazily loaded tree, a ranked search (code, words, synonyms, pinyin) and the concept. */
export function BrowserTab({ system, version }: { system: string; version?: string }) {
  const [tree, setTree] = useState<DataNode[]>([]);
  const [q, setQ] = useState('');
  const [code, setCode] = useState<string | null>(null);
  const roots = useApi((sig) => api.get<BrowseResult>('/terminology/browse', { system, version }, sig), [system, version]);
  useEffect(() => setTree(toNodes(roots.data?.items ?? [])), [roots.data]);
  const hits = useApi((sig) => api.get<SearchResult>('/terminology/search', { system, version, q, limit: 30 }, sig), [system, version, q], q.trim().length > 0);

  const loadData = async (node: DataNode) => {
    if (node.children) return;
    const r = await api.get<BrowseResult>('/terminology/browse', { system, version, parent: String(node.key) });
    setTree((t) => setChildren(t, node.key, toNodes(r.items)));
  };

  return (
    <Row gutter={16}>
      <Col xs={24} lg={10}>
        <Card size="small">
          <Input.Search
            placeholder="代码前缀、名称词语、同义词、拼音（如 gxy、gaoxueya）"
            allowClear
            enterButton="检索"
            onSearch={setQ}
            data-testid="term-search"
          />
          {roots.error ? <ErrorAlert error={roots.error} onRetry={roots.reload} /> : null}
          {q.trim() ? (
            <List
              style={{ marginTop: 12, maxHeight: 620, overflow: 'auto' }}
              loading={hits.loading}
              header={<Typography.Text type="secondary">共 {hits.data?.total ?? 0} 条，按相关度排序</Typography.Text>}
              dataSource={hits.data?.hits ?? []}
              renderItem={(h) => (
                <List.Item onClick={() => setCode(h.code)} style={{ cursor: 'pointer' }} data-testid="term-hit">
                  <Space direction="vertical" size={0}>
                    <span>
                      <b>{h.code}</b> {h.display} <Tag>{MATCH_TEXT[h.matchedBy] ?? h.matchedBy}</Tag>
                    </span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {h.path.map((p) => p.display).join(' › ')}
                    </Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          ) : (
            <div style={{ marginTop: 12, maxHeight: 620, overflow: 'auto' }}>
              <Tree treeData={tree} loadData={loadData} onSelect={(keys) => keys[0] && setCode(String(keys[0]))} />
            </div>
          )}
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        <Card size="small">
          <ConceptPanel system={system} code={code} version={version} onOpen={setCode} />
        </Card>
      </Col>
    </Row>
  );
}
