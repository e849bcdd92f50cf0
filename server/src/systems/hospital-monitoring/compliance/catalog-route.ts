import { defineRoute } from '../../../platform/http/route.ts';
import { TYPE_TITLE } from '../../../platform/rules/index.ts';
import { CATEGORIES, complianceCatalog, FINDING_SOURCES } from './catalog.ts';
import { BuilderCatalog } from './responses.ts';

/** What the rule builder offers: categories, the sources a rule may judge, their fields and one-hop relations. */
export function builderCatalog() {
  const sources = [...complianceCatalog.sources.values()];
  return {
    categories: CATEGORIES.map(([code, title]) => ({ code, title })),
    sources: sources
      .filter((s) => (FINDING_SOURCES as readonly string[]).includes(s.name))
      .map((s) => ({
        name: s.name,
        title: s.title,
        fields: [...s.fields.values()].map((f) => ({
          name: f.name,
          title: f.title,
          type: f.type,
          typeTitle: TYPE_TITLE[f.type],
          codes: f.codeList?.codes ? Object.entries(f.codeList.codes).map(([code, label]) => ({ code, label })) : undefined,
        })),
        relations: [...s.relations.values()].map((r) => ({ name: r.name, title: r.title, to: r.to, cardinality: r.cardinality })),
      })),
  };
}

export const catalogRoute = defineRoute({
  method: 'GET',
  url: '/compliance/catalog',
  summary: '规则构建器的数据目录（数据源、字段、代码表）',
  auth: 'staff',
  permission: 'compliance.read',
  response: { 200: BuilderCatalog },
  handler: async () => builderCatalog(),
});
