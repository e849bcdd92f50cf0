import type { ServiceContext } from '../../../platform/service-context.ts';
import { Type } from '@sinclair/typebox';
import type { KeyRing } from '../../../platform/crypto/keyring.ts';
import type { Queryable } from '../../../platform/db/types.ts';
import { notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import type { JobDef } from '../../../platform/jobs/types.ts';
import { maskPhone } from '../../../platform/util/resident-id.ts';
import { IdParams } from '../../../platform/http/schema.ts';
import { contractById } from './repository.ts';
import { NOT_FOUND } from './shapes.ts';
import { RevealedContacts } from './responses.ts';

/** An emergency contact as entered (the phone in clear): only ever inside the sealed token or a 调阅 answer. */
export interface EmergencyContact {
  name: string;
  phone: string;
  relation: string;
}

/** What is stored in clear and listed: the phone only as a mask. */
export interface MaskedContact {
  name: string;
  relation: string;
  phoneMasked: string;
}

/** A stored element: masked (sealed rows) or, on rows from before migration 015 not yet sealed, with the phone. */
export type StoredContact = { name: string; relation: string; phoneMasked?: string; phone?: string };

export function maskContacts(cs: readonly StoredContact[]): MaskedContact[] {
  return cs.map((c) => ({ name: c.name, relation: c.relation, phoneMasked: c.phoneMasked ?? maskPhone(c.phone ?? '') }));
}

/** The two columns for a contract's contacts: masked list in clear, the full list sealed (null when there are none). */
export function sealContacts(keys: KeyRing, cs: readonly EmergencyContact[]): { emergency_contacts: MaskedContact[]; emergency_contacts_enc: string | null } {
  const full = cs.map((c) => ({ name: c.name, phone: c.phone, relation: c.relation }));
  return { emergency_contacts: maskContacts(full), emergency_contacts_enc: full.length ? keys.encryptField(JSON.stringify(full)) : null };
}

/** The full contacts of a row: from the sealed token, or (unsealed legacy row) from the clear column. */
export function openContacts(keys: KeyRing, row: { emergency_contacts: unknown; emergency_contacts_enc: string | null }): EmergencyContact[] {
  if (row.emergency_contacts_enc) return JSON.parse(keys.decryptField(row.emergency_contacts_enc)) as EmergencyContact[];
  const raw = (typeof row.emergency_contacts === 'string' ? JSON.parse(row.emergency_contacts) : row.emergency_contacts) as StoredContact[];
  return raw.map((c) => ({ name: c.name, relation: c.relation, phone: c.phone ?? c.phoneMasked ?? '' }));
}

/** True when an element still carries a phone in clear (a row to seal). */
export function hasClearPhone(cs: readonly StoredContact[]): boolean {
  return cs.some((c) => typeof c.phone === 'string');
}

const RevealBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }) }, { additionalProperties: false });

/** 调阅紧急联系人: the phones in clear, with the stated reason in the audit log (like a resident's 调阅). */
export const revealContactsRoute = defineRoute({
  method: 'POST',
  url: '/family-doctor/contracts/:id/emergency-contacts/reveal',
  summary: '调阅紧急联系人电话（须填写事由，记入审计）',
  auth: 'staff',
  permission: 'family-doctor.sign',
  params: IdParams,
  body: RevealBody,
  response: { 200: RevealedContacts },
  handler: async (ctx, { params, body }) => {
    const c = await contractById(ctx.tx, params.id);
    if (!c) throw notFound(NOT_FOUND);
    ctx.audit.read({ action: 'family-doctor.reveal-contacts', objectType: 'fd_contract', objectId: c.id, note: body.reason.trim() });
    return { items: openContacts(ctx.kernel.keys, c) };
  },
});

/**
 * Seals the contacts of rows still holding phones in clear (written before migration 015), a batch per
 * transaction; idempotent. Each batch starts after the last id of the one before (a sealed row is not
 * scanned again) and writes its rows in one statement. Returns how many rows it sealed.
 */
export async function sealClearContacts(
  ctx: Pick<ServiceContext, 'kernel'> & { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  batch = 1000,
): Promise<number> {
  let sealed = 0;
  let lastId = 0;
  for (;;) {
    const n = await ctx.transaction(async (tx) => {
      const rows = await tx.query<{ id: number | string; emergency_contacts: StoredContact[] | string }>(
        `select id, emergency_contacts from fd_contract
          where id > $2 and emergency_contacts_enc is null and jsonb_path_exists(emergency_contacts, '$[*].phone') order by id limit $1 for update`,
        [batch, lastId],
      );
      if (rows.length === 0) return 0;
      const out = rows.map((r) => {
        const cs = (typeof r.emergency_contacts === 'string' ? JSON.parse(r.emergency_contacts) : r.emergency_contacts) as StoredContact[];
        const cols = sealContacts(
          ctx.kernel.keys,
          cs.map((c) => ({ name: c.name, relation: c.relation, phone: c.phone ?? '' })),
        );
        return { id: Number(r.id), clear: cols.emergency_contacts, enc: cols.emergency_contacts_enc };
      });
      await tx.query(
        `update fd_contract f set emergency_contacts = s.clear, emergency_contacts_enc = s.enc
           from jsonb_to_recordset($1::jsonb) as s(id bigint, clear jsonb, enc text) where f.id = s.id`,
        [JSON.stringify(out)],
      );
      lastId = out[out.length - 1]!.id;
      return rows.length;
    });
    sealed += n;
    if (n < batch) return sealed;
  }
}

export const sealContactsJob: JobDef = {
  name: 'family-doctor.seal-contacts',
  title: '紧急联系人电话加密（存量明文）',
  defaultCron: '15 3 * * *',
  defaultEnabled: true,
  retries: 1,
  backoffSeconds: 60,
  async handler(ctx) {
    const sealed = await sealClearContacts({ kernel: ctx.kernel, transaction: (fn) => ctx.transaction((tx) => fn(tx)) });
    await ctx.log(`加密紧急联系人 ${sealed} 条签约`);
    return { sealed };
  },
};
