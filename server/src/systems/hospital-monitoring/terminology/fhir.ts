// FHIR R4 terminology operations (JSON): CodeSystem/$lookup, $validate-code, $subsumes, ValueSet/$expand,
// ValueSet/$validate-code, ConceptMap/$translate — each as GET (query string) and POST (a Parameters
// body) — and the capability statement (`metadata`; `metadata?mode=terminology` gives the
// TerminologyCapabilities). The same handlers are mounted twice: for staff (session) and for partner
// systems (signed API key, /partner/…).
import { type TSchema, Type } from '@sinclair/typebox';
import type { RouteAuth } from '../../../platform/http/route.ts';
import { type AnyRoute, defineRoute } from '../../../platform/http/route.ts';
import type { Tx } from '../../../platform/db/types.ts';
import { inputFromParameters, ParametersBody } from './fhir-parameters.ts';
import * as repo from './repository.ts';
import * as svc from './service.ts';

const Uri = (description: string) => Type.String({ minLength: 1, maxLength: 300, description });
const Code = (description = '代码') => Type.String({ minLength: 1, maxLength: 64, description });
const FhirDate = Type.String({ format: 'date', description: '日期（YYYY-MM-DD）：取当日有效的版本' });
const Version = Type.String({ minLength: 1, maxLength: 40, description: '版本号' });
const Resource = Type.Object({ resourceType: Type.String() }, { additionalProperties: true });
const response = { 200: Resource };

type Part = Record<string, unknown>;
const parameters = (parts: (Part | null)[]) => ({ resourceType: 'Parameters', parameter: parts.filter((p): p is Part => p !== null) });
const str = (name: string, v: string | undefined) => (v === undefined ? null : { name, valueString: v });

function lookupParameters(r: svc.LookupResult) {
  return parameters([
    str('name', r.systemTitle),
    str('version', r.version),
    str('display', r.display),
    ...r.designations.map((d) => ({
      name: 'designation',
      part: [
        ...(d.language ? [{ name: 'language', valueCode: d.language }] : []),
        { name: 'use', valueCoding: { system: 'urn:weijian:designation-use', code: d.use } },
        { name: 'value', valueString: d.value },
      ],
    })),
    {
      name: 'property',
      part: [
        { name: 'code', valueCode: 'status' },
        { name: 'value', valueCode: r.status },
      ],
    },
    {
      name: 'property',
      part: [
        { name: 'code', valueCode: 'inactive' },
        { name: 'value', valueBoolean: r.status !== 'active' },
      ],
    },
    ...r.parents.map((p) => ({
      name: 'property',
      part: [
        { name: 'code', valueCode: 'parent' },
        { name: 'value', valueCode: p.code },
        { name: 'description', valueString: p.display },
      ],
    })),
    ...r.children.map((p) => ({
      name: 'property',
      part: [
        { name: 'code', valueCode: 'child' },
        { name: 'value', valueCode: p.code },
        { name: 'description', valueString: p.display },
      ],
    })),
    ...Object.entries(r.properties).map(([k, v]) => ({
      name: 'property',
      part: [
        { name: 'code', valueCode: k },
        { name: 'value', valueString: String(v) },
      ],
    })),
  ]);
}

function validateParameters(r: svc.ValidateResult) {
  return parameters([{ name: 'result', valueBoolean: r.result }, str('message', r.message), str('display', r.display), str('version', r.version)]);
}

const OPERATIONS: { resource: string; op: string; summary: string; querystring: TSchema; run: svc.FhirRun }[] = [];

function capability(base: string) {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString().slice(0, 10),
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    software: { name: 'weijian terminology' },
    instantiates: ['http://hl7.org/fhir/CapabilityStatement/terminology-server'],
    implementation: { description: '卫健平台术语服务（疾病和手术操作分类代码）', url: base },
    rest: [
      {
        mode: 'server',
        resource: ['CodeSystem', 'ValueSet', 'ConceptMap'].map((type) => ({
          type,
          operation: OPERATIONS.filter((o) => o.resource === type).map((o) => ({
            name: o.op.slice(1),
            definition: `http://hl7.org/fhir/OperationDefinition/${type}-${o.op.slice(1)}`,
          })),
        })),
        operation: [],
      },
    ],
  };
}

/** FHIR R4 TerminologyCapabilities: the code systems with their published versions and what the operations support. */
async function terminologyCapabilities(tx: Tx, base: string) {
  const codeSystem = [];
  for (const s of await repo.listSystems(tx)) {
    const versions = await repo.listVersions(tx, s.id);
    if (versions.length === 0) continue;
    const latest = Math.max(...versions.map((v) => v.seq));
    codeSystem.push({
      uri: s.url,
      version: versions.map((v) => ({ code: v.version, isDefault: v.seq === latest, language: ['zh'], property: ['parent', 'child', 'inactive', 'status'] })),
      subsumption: true,
    });
  }
  return {
    resourceType: 'TerminologyCapabilities',
    status: 'active',
    date: new Date().toISOString().slice(0, 10),
    kind: 'instance',
    software: { name: 'weijian terminology' },
    implementation: { description: '卫健平台术语服务（疾病和手术操作分类代码）', url: base },
    codeSystem,
    expansion: {
      hierarchical: false,
      paging: true,
      parameter: [{ name: 'filter' }, { name: 'offset' }, { name: 'count' }, { name: 'activeOnly' }, { name: 'version' }, { name: 'date' }],
      textFilter: '代码前缀、中文词语、同义词、拼音全拼与首字母',
    },
    codeSearch: 'all',
    validateCode: { translations: false },
    translation: { needsMap: false },
  };
}

const ver = { version: Type.Optional(Version), date: Type.Optional(FhirDate) };

OPERATIONS.push(
  {
    resource: 'CodeSystem',
    op: '$lookup',
    summary: '查询代码详情（名称、同义词、拼音、上下级）',
    querystring: Type.Object({ system: Uri('代码系统 URL'), code: Code(), ...ver }),
    run: async (tx, q) => lookupParameters(await svc.lookup(tx, q as never)),
  },
  {
    resource: 'CodeSystem',
    op: '$validate-code',
    summary: '校验代码（是否存在、有效，名称是否相符）',
    querystring: Type.Object({
      url: Type.Optional(Uri('代码系统 URL')),
      system: Type.Optional(Uri('代码系统 URL（同 url）')),
      code: Code(),
      display: Type.Optional(Type.String({ maxLength: 200 })),
      ...ver,
    }),
    run: async (tx, q) => validateParameters(await svc.validate(tx, { ...(q as { code: string }), system: (q.url ?? q.system ?? '') as string })),
  },
  {
    resource: 'CodeSystem',
    op: '$subsumes',
    summary: '判断两个代码的上下位关系',
    querystring: Type.Object({ system: Uri('代码系统 URL'), codeA: Code('代码 A'), codeB: Code('代码 B'), ...ver }),
    run: async (tx, q) => parameters([{ name: 'outcome', valueCode: await svc.subsumes(tx, q as never) }]),
  },
  {
    resource: 'ValueSet',
    op: '$expand',
    summary: '展开值集（整个代码系统或某代码之下），可按文字/拼音/代码前缀过滤、分页',
    querystring: Type.Object({
      url: Uri('值集 URL：代码系统 URL、<URL>?vs 或 <URL>?fhir_vs=isa/<代码>'),
      filter: Type.Optional(Type.String({ maxLength: 100, description: '过滤文字' })),
      offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
      count: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
      activeOnly: Type.Optional(Type.Boolean()),
      ...ver,
    }),
    run: async (tx, q) => {
      const r = await svc.expand(tx, { ...(q as { url: string }), includeRetired: q.activeOnly === false });
      return {
        resourceType: 'ValueSet',
        url: r.url,
        status: 'active',
        expansion: {
          identifier: `urn:uuid:${crypto.randomUUID()}`,
          timestamp: new Date().toISOString(),
          total: r.total,
          offset: r.offset,
          parameter: [{ name: 'version', valueUri: `${r.system}|${r.version}` }, ...(q.filter ? [{ name: 'filter', valueString: q.filter }] : [])],
          contains: r.contains.map((c) => ({
            system: c.system,
            version: c.version,
            code: c.code,
            display: c.display,
            ...(c.status !== 'active' ? { inactive: true } : {}),
          })),
        },
      };
    },
  },
  {
    resource: 'ValueSet',
    op: '$validate-code',
    summary: '校验代码是否属于值集',
    querystring: Type.Object({
      url: Uri('值集 URL'),
      system: Type.Optional(Uri('代码系统 URL')),
      code: Code(),
      display: Type.Optional(Type.String({ maxLength: 200 })),
      ...ver,
    }),
    run: async (tx, q) => validateParameters(await svc.validateInValueSet(tx, q as never)),
  },
  {
    resource: 'ConceptMap',
    op: '$translate',
    summary: '代码映射（如国家临床版 → 医保版）',
    querystring: Type.Object({
      url: Type.Optional(Uri('概念映射 URL')),
      system: Type.Optional(Uri('源代码系统 URL')),
      code: Code(),
      targetsystem: Type.Optional(Uri('目标代码系统 URL')),
      reverse: Type.Optional(Type.Boolean()),
    }),
    run: async (tx, q) => {
      const r = await svc.translate(tx, {
        code: q.code as string,
        system: q.system as string | undefined,
        url: q.url as string | undefined,
        target: q.targetsystem as string | undefined,
        reverse: q.reverse as boolean | undefined,
      });
      return parameters([
        { name: 'result', valueBoolean: r.result },
        str('message', r.message),
        ...r.matches.map((m) => ({
          name: 'match',
          part: [
            { name: 'equivalence', valueCode: m.equivalence },
            { name: 'concept', valueCoding: { system: m.system, code: m.code, ...(m.display ? { display: m.display } : {}) } },
            { name: 'source', valueUri: m.source },
          ],
        })),
      ]);
    },
  },
);

function mount(base: string, auth: RouteAuth, permission: string): AnyRoute[] {
  const tags = [auth === 'partner' ? '合作系统接入' : '术语服务（FHIR）'];
  return [
    defineRoute({
      method: 'GET',
      url: `${base}/metadata`,
      summary: `术语服务能力声明（FHIR CapabilityStatement；mode=terminology 时为 TerminologyCapabilities）${auth === 'partner' ? '（合作系统）' : ''}`,
      tags,
      auth,
      permission,
      querystring: Type.Object({
        mode: Type.Optional(Type.Unsafe<'full' | 'normative' | 'terminology'>({ type: 'string', enum: ['full', 'normative', 'terminology'] })),
      }),
      response,
      handler: async (ctx, { query }) => (query.mode === 'terminology' ? terminologyCapabilities(ctx.tx, base) : capability(base)),
    }),
    ...OPERATIONS.map((o) =>
      defineRoute({
        method: 'GET',
        url: `${base}/${o.resource}/${o.op}`,
        summary: `${o.summary}（FHIR ${o.resource}/${o.op}）${auth === 'partner' ? '（合作系统）' : ''}`,
        tags,
        auth,
        permission,
        querystring: o.querystring,
        response,
        handler: (ctx, { query }) => o.run(ctx.tx, query as Record<string, unknown>),
      }),
    ),
    ...OPERATIONS.map((o) =>
      defineRoute({
        method: 'POST',
        url: `${base}/${o.resource}/${o.op}`,
        summary: `${o.summary}（FHIR ${o.resource}/${o.op}，POST Parameters）${auth === 'partner' ? '（合作系统）' : ''}`,
        tags,
        auth,
        permission,
        body: ParametersBody,
        response,
        handler: (ctx, { body }) => o.run(ctx.tx, inputFromParameters(body as never, o.querystring)),
      }),
    ),
  ];
}

export const fhirRoutes: AnyRoute[] = [
  ...mount('/terminology/fhir', 'staff', 'terminology.read'),
  ...mount('/partner/terminology/fhir', 'partner', 'terminology.fhir'),
];
