// The terminology console routes' responses, field by field (docs/architecture.md "Responses: declared
// once"): the routes declare them, Fastify serialises through them, the console imports their types.
// The FHIR operations answer FHIR resources (Parameters, ValueSet, …) and keep their open Resource schema.
import { type Static, Type } from '@sinclair/typebox';
import { enumOf, nullable } from '../../../platform/http/schema.ts';

const Str = Type.String();
const Int = Type.Integer();
const Json = Type.Record(Type.String(), Type.Unknown());

export const Named = Type.Object({ code: Str, display: Str });
export type Named = Static<typeof Named>;

export const DesignationOut = Type.Object({ use: Str, language: Type.Optional(Str), value: Str });
export type DesignationOut = Static<typeof DesignationOut>;

export const VersionOut = Type.Object({
  id: Int,
  systemId: Int,
  seq: Int,
  version: Str,
  publishedAt: Str,
  publishedBy: Str,
  conceptCount: Int,
  contentHash: Str,
  changeRequestId: nullable(Int),
  note: nullable(Str),
});
export type VersionOut = Static<typeof VersionOut>;

export const SystemOut = Type.Object({
  id: Int,
  url: Str,
  name: Str,
  title: Str,
  publisher: nullable(Str),
  kind: Str,
  source: Str,
  /** The base system of a local extension (上海扩增码). */
  extendsId: nullable(Int),
  current: nullable(VersionOut),
});
export type SystemOut = Static<typeof SystemOut>;

export const MapOut = Type.Object({ id: Int, url: Str, name: Str, title: Str, publisher: nullable(Str), version: Str, sourceSystem: Str, targetSystem: Str });
export type MapOut = Static<typeof MapOut>;

export const SystemList = Type.Object({ items: Type.Array(SystemOut), maps: Type.Array(MapOut) });
export type SystemList = Static<typeof SystemList>;

export const VersionList = Type.Object({ items: Type.Array(VersionOut) });
export type VersionList = Static<typeof VersionList>;

/** One entry of the timeline: what changed in which version, by whom. */
export const ChangeOut = Type.Object({
  id: Int,
  versionSeq: Int,
  version: nullable(Str),
  code: Str,
  kind: Str,
  before: nullable(Json),
  after: nullable(Json),
  author: Str,
  changeRequestId: nullable(Int),
  at: Str,
});
export type ChangeOut = Static<typeof ChangeOut>;

export const Timeline = Type.Object({ items: Type.Array(ChangeOut) });
export type Timeline = Static<typeof Timeline>;

export const ConceptMapLink = Type.Object({ map: Str, title: Str, direction: enumOf(['source', 'target'] as const), other: Str, equivalence: Str });

export const ConceptDetail = Type.Object({
  system: Str,
  systemTitle: Str,
  version: Str,
  code: Str,
  display: Str,
  status: Str,
  kind: Str,
  parents: Type.Array(Named),
  children: Type.Array(Named),
  path: Type.Array(Named),
  designations: Type.Array(DesignationOut),
  properties: Json,
  maps: Type.Array(ConceptMapLink),
  history: Type.Array(ChangeOut),
});
export type ConceptDetail = Static<typeof ConceptDetail>;

const ConceptState = Type.Object({
  code: Str,
  display: Str,
  parents: Type.Array(Str),
  status: Str,
  designations: Type.Array(DesignationOut),
  properties: Json,
});
export const DiffEntry = Type.Object({ code: Str, kinds: Type.Array(Str), before: nullable(ConceptState), after: nullable(ConceptState) });
export type DiffEntry = Static<typeof DiffEntry>;

export const Diff = Type.Object({ from: Str, to: Str, items: Type.Array(DiffEntry) });
export type Diff = Static<typeof Diff>;

export const BrowseResult = Type.Object({
  system: Type.String(),
  version: Type.String(),
  items: Type.Array(Type.Object({ code: Type.String(), display: Type.String(), status: Type.String(), kind: Type.String(), hasChildren: Type.Boolean() })),
});
export type BrowseResult = Static<typeof BrowseResult>;

export const SearchResult = Type.Object({
  system: Type.String(),
  version: Type.String(),
  total: Type.Integer(),
  hits: Type.Array(
    Type.Object({
      code: Type.String(),
      display: Type.String(),
      status: Type.String(),
      score: Type.Number(),
      matchedBy: Type.String(),
      path: Type.Array(Named),
    }),
  ),
});
export type SearchResult = Static<typeof SearchResult>;

export const ImportResult = Type.Object({
  changeRequestId: Type.Integer(),
  systemId: Type.Integer(),
  created: Type.Boolean(),
  items: Type.Integer(),
  concepts: Type.Integer(),
});
export type ImportResult = Static<typeof ImportResult>;

export const RecommendResult = Type.Object({
  system: Type.String(),
  version: Type.String(),
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      display: Type.String(),
      score: Type.Number(),
      reasons: Type.Array(Type.String()),
      path: Type.Array(Type.Object({ code: Type.String(), display: Type.String() })),
    }),
  ),
});
export type RecommendResult = Static<typeof RecommendResult>;

export const VersionCheck = Type.Object({ version: Type.String(), stored: Type.String(), computed: Type.String(), ok: Type.Boolean(), count: Type.Integer() });
export type VersionCheck = Static<typeof VersionCheck>;
