import { type Fd, fdApp, IDS } from '../family-doctor/test-fixture.ts';
import { residentBody } from '../../common/resident-index/test-fixture.ts';
import type { TestSession } from '../../../test/harness.ts';

/** The family-doctor test network (centres A and B of 徐汇) plus helpers for report uploads. */
export interface Ha extends Fd {
  /** A resident of 天平街道 (managed by centre A), with the ID number the file name needs. */
  person(birth?: string): Promise<{ id: number; idNumber: string }>;
  upload(s: TestSession, body: Record<string, unknown>): ReturnType<Fd['get']>;
  haGet(url: string, s?: TestSession): ReturnType<Fd['get']>;
}

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% 健康评估报告（测试）\n%%EOF\n');

export const yyyymmdd = (iso: string) => iso.replaceAll('-', '');

export async function haApp(): Promise<Ha> {
  const fd = await fdApp();
  return {
    ...fd,
    async person(birth = '1950-03-08') {
      const body = residentBody({}, birth);
      const r = await fd.t.call(fd.admin, { method: 'POST', url: '/api/v1/residents', payload: body });
      if (r.statusCode !== 201) throw new Error(`resident: ${r.statusCode} ${r.body}`);
      return { id: r.json().id, idNumber: body.idNumber };
    },
    upload: (s, body) =>
      fd.t.call(s, { method: 'POST', url: '/api/v1/health-assessment/uploads', payload: { reviewed: true, contentBase64: PDF.toString('base64'), ...body } }),
    haGet: (url, s = fd.admin) => fd.t.call(s, { method: 'GET', url: `/api/v1/health-assessment${url}` }),
  };
}

export { IDS };
