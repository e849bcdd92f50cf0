import { sm3Hex } from '../crypto/sm3.ts';
import { canonicalJson } from '../util/canonical-json.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields of an event that the chain protects, in the form they are stored. */
export interface ChainedEvent {
  seq: number;
  ts: string;
  actor_id: number | null;
  actor_username: string;
  actor_role: string;
  scope: string;
  district_code: string | null;
  kind: string;
  action: string;
  object_type: string;
  object_id: string | null;
  before: unknown;
  after: unknown;
  note: string | null;
  ip: string | null;
  request_id: string | null;
}

export function eventHash(prevHash: string, e: ChainedEvent): string {
  return sm3Hex(`${prevHash}\n${canonicalJson(e)}`);
}
