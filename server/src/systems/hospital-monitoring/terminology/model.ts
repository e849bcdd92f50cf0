import { sm3Hex } from '../../../platform/crypto/sm3.ts';
import { canonicalJson } from '../../../platform/util/canonical-json.ts';

export type ConceptStatus = 'active' | 'retired';

export interface Designation {
  /** synonym | english | abbreviation | pinyin | pinyin-initials */
  use: string;
  language?: string;
  value: string;
}

/** A concept as one version of a code system holds it. */
export interface Concept {
  code: string;
  display: string;
  parents: string[];
  status: ConceptStatus;
  kind: string;
  properties: Record<string, unknown>;
  designations: Designation[];
  pinyin: string;
  initials: string;
}

export interface ConceptRow extends Concept {
  fromSeq: number;
  toSeq: number | null;
  /** Set on a base system's concept seen through an extension: the base system's URL (read-only there). */
  fromBase?: string;
}

/** The canonical listing a version's SM3 digest seals: one line per concept, sorted by code. */
export function contentHash(concepts: Iterable<Concept>): { hash: string; count: number } {
  const lines: string[] = [];
  for (const c of concepts) {
    lines.push(canonicalJson({ c: c.code, d: c.display, p: [...c.parents].sort(), s: c.status, k: c.kind, pr: c.properties, de: c.designations }));
  }
  lines.sort();
  return { hash: sm3Hex(lines.join('\n')), count: lines.length };
}

/** A PostgreSQL array literal for COPY (codes are quoted: they may hold + and *). */
export function pgTextArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}
