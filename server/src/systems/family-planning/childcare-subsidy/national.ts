// 国家育儿补贴信息管理系统 adapter: an approved application is uploaded as one outbox message whose
// personal fields travel sealed (platform/integration/sealed.ts) and are opened only here, when sent.
// Reads from the national system (its reply feed, its list of applications) go through readNational:
// signed like every request to it, never through the outbox (they change nothing there).
import type { Kernel } from '../../../platform/kernel.ts';
import { type Adapter, type AdapterSpec, defineAdapter, resolveSettings, signerFor } from '../../../platform/integration/adapter.ts';
import { sendRequest } from '../../../platform/integration/http-client.ts';
import type { OutboxMessage } from '../../../platform/integration/outbox.ts';
import { openSealedJson } from '../../../platform/integration/sealed.ts';

export const NATIONAL = 'national-subsidy';
export const UPLOAD_TOPIC = 'subsidy.application';

/** What the outbox holds: references and facts without identity, plus the sealed personal fields. */
export interface UploadPayload {
  applicationId: number;
  districtCode: string | null;
  birthOrder: number | null;
  amountYuan: number;
  childBirthDate: string;
  childHukouDistrict: string | null;
  applicantRelation: string | null;
  decidedAt: string | null;
  sealed: string;
}

export interface SealedPersonal {
  childName: string | null;
  childIdNumber: string | null;
  applicantName: string | null;
  applicantIdNumber: string | null;
  applicantPhone: string | null;
  bankAccount: string | null;
}

export function uploadBody(p: UploadPayload) {
  const s = openSealedJson<SealedPersonal>(p.sealed);
  return {
    applicationId: p.applicationId,
    districtCode: p.districtCode,
    child: { name: s.childName, idNumber: s.childIdNumber, birthDate: p.childBirthDate, hukouDistrict: p.childHukouDistrict },
    birthOrder: p.birthOrder,
    applicant: { relation: p.applicantRelation, name: s.applicantName, idNumber: s.applicantIdNumber, phone: s.applicantPhone },
    bankAccount: s.bankAccount,
    amountYuan: p.amountYuan,
    decision: 'approved',
    decidedAt: p.decidedAt,
  };
}

export function nationalAdapter(over: Partial<AdapterSpec> = {}): Adapter {
  return defineAdapter({
    system: NATIONAL,
    request: (m: OutboxMessage) => ({ method: 'POST', path: '/api/v1/applications', body: uploadBody(m.payload as unknown as UploadPayload) }),
    retry: { maxAttempts: 15, baseDelayMs: 5_000, maxDelayMs: 1_800_000 },
    ...over,
  });
}

export const nationalSubsidy = nationalAdapter();

export class NationalReadError extends Error {}

/** A signed GET to the national system (reply feed, application list); throws NationalReadError on any failure. */
export async function readNational<T>(kernel: Pick<Kernel, 'config' | 'keys' | 'adapters'>, path: string): Promise<T> {
  const adapter = kernel.adapters.get(NATIONAL) ?? nationalSubsidy;
  const settings = resolveSettings(adapter, kernel.config.env === 'production');
  if (!settings.baseUrl) throw new NationalReadError('未配置国家育儿补贴信息管理系统地址（WEIJIAN_NATIONAL_SUBSIDY_URL）');
  const r = await sendRequest({ baseUrl: settings.baseUrl, method: 'GET', path, timeoutMs: settings.timeoutMs, signer: signerFor(settings, kernel.keys) });
  if (r.kind !== 'response') throw new NationalReadError(r.message);
  if (r.status !== 200) throw new NationalReadError(`国家系统返回 HTTP ${r.status}：${JSON.stringify(r.body).slice(0, 300)}`);
  return r.body as T;
}
