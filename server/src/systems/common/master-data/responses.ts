import { type Static, Type } from '@sinclair/typebox';
import { DateText, enumOf, Id, Instant, nullable, PageOf } from '../../../platform/http/schema.ts';

export const RegionLevel = enumOf(['city', 'district', 'street', 'community'] as const);
export type RegionLevel = Static<typeof RegionLevel>;

export const Region = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: RegionLevel,
  parentCode: nullable(Type.String()),
  districtCode: nullable(Type.String()),
  streetCode: nullable(Type.String()),
  /** 街道 / 镇 for streets (free text from the division data). */
  kind: nullable(Type.String()),
});
export type Region = Static<typeof Region>;
export const RegionList = Type.Object({ items: Type.Array(Region) });
export type RegionList = Static<typeof RegionList>;

export const Department = Type.Object({ id: Id, code: Type.String(), name: Type.String() });
export type Department = Static<typeof Department>;

export const Institution = Type.Object({
  id: Id,
  code: Type.String(),
  name: Type.String(),
  shortName: nullable(Type.String()),
  /** INSTITUTION_KINDS of enums.ts. */
  kind: Type.String(),
  level: nullable(Type.Integer()),
  grade: nullable(Type.String()),
  category: Type.String(),
  ownership: Type.String(),
  parentId: nullable(Id),
  parentName: nullable(Type.String()),
  districtCode: Type.String(),
  districtName: Type.String(),
  streetCode: nullable(Type.String()),
  streetName: nullable(Type.String()),
  address: nullable(Type.String()),
  phone: nullable(Type.String()),
  lng: nullable(Type.Number()),
  lat: nullable(Type.Number()),
  active: Type.Boolean(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Institution = Static<typeof Institution>;
export const InstitutionPage = PageOf(Institution);
export type InstitutionPage = Static<typeof InstitutionPage>;
/** An institution with its departments and 分院. */
export const InstitutionDetail = Type.Object({ ...Institution.properties, departments: Type.Array(Department), branches: Type.Array(Institution) });
export type InstitutionDetail = Static<typeof InstitutionDetail>;

export const Practitioner = Type.Object({
  id: Id,
  institutionId: Id,
  institutionName: Type.String(),
  departmentId: nullable(Id),
  departmentName: nullable(Type.String()),
  name: Type.String(),
  sex: enumOf(['M', 'F'] as const),
  birthDate: nullable(DateText),
  idNumberMasked: nullable(Type.String()),
  qualificationNo: nullable(Type.String()),
  practiceCertNo: nullable(Type.String()),
  practiceCategory: nullable(Type.String()),
  practiceScope: nullable(Type.String()),
  title: nullable(Type.String()),
  isFamilyDoctor: Type.Boolean(),
  phoneMasked: nullable(Type.String()),
  districtCode: Type.String(),
  streetCode: nullable(Type.String()),
  active: Type.Boolean(),
  createdAt: Instant,
  updatedAt: Instant,
});
export type Practitioner = Static<typeof Practitioner>;
export const PractitionerPage = PageOf(Practitioner);
export type PractitionerPage = Static<typeof PractitionerPage>;

export const TeamMember = Type.Object({ practitionerId: Id, name: Type.String(), role: Type.String() });
export type TeamMember = Static<typeof TeamMember>;
export const Team = Type.Object({
  id: Id,
  institutionId: Id,
  institutionName: Type.String(),
  name: Type.String(),
  leaderId: nullable(Id),
  leaderName: nullable(Type.String()),
  districtCode: Type.String(),
  streetCode: nullable(Type.String()),
  active: Type.Boolean(),
  members: Type.Array(TeamMember),
  communityCodes: Type.Array(Type.String()),
  communities: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  createdAt: Instant,
});
export type Team = Static<typeof Team>;
export const TeamPage = PageOf(Team);
export type TeamPage = Static<typeof TeamPage>;

export const DistrictStat = Type.Object({
  code: Type.String(),
  name: Type.String(),
  institutions: Type.Integer({ minimum: 0 }),
  practitioners: Type.Integer({ minimum: 0 }),
  /** In the caller's data scope (0 outside it). */
  residents: Type.Integer({ minimum: 0 }),
});
export type DistrictStat = Static<typeof DistrictStat>;
export const DistrictStats = Type.Object({ items: Type.Array(DistrictStat) });
export type DistrictStats = Static<typeof DistrictStats>;

/** District boundaries as GeoJSON; without imported boundaries, no features and schematic = true. */
export const DistrictMap = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(
    Type.Object({
      type: Type.Literal('Feature'),
      properties: Type.Object({ name: Type.String(), code: Type.String() }),
      /** A GeoJSON geometry as imported: free-form JSON. */
      geometry: Type.Unknown(),
    }),
  ),
  schematic: Type.Optional(Type.Boolean()),
  hint: Type.Optional(Type.String()),
});
export type DistrictMap = Static<typeof DistrictMap>;
