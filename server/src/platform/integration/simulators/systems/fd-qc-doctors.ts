import type { SimRoute } from '../simulator.ts';

/**
 * The family-doctor QC platform's doctor directory, as its simulator serves it (added to the
 * fd-qc-platform simulator's routes): GET /api/doctors?updatedSince=… lists doctors changed since then;
 * POST /api/doctors adds or changes one (what the QC platform's own staff would do).
 */
export interface QcDoctor {
  qcId: string;
  name: string;
  sex: 'M' | 'F';
  idNumber: string;
  institutionCode: string;
  title?: string | null;
  phone?: string | null;
  active: boolean;
  updatedAt: string;
}

const directory = new Map<string, QcDoctor>();

export const qcDoctorRoutes: SimRoute[] = [
  {
    method: 'GET',
    url: '/api/doctors',
    handler: (req) => {
      const since = req.query.updatedSince ?? '';
      const items = [...directory.values()].filter((d) => d.updatedAt > since).sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
      return { status: 200, body: { items } };
    },
  },
  {
    method: 'POST',
    url: '/api/doctors',
    idempotent: false,
    handler: (req) => {
      const d = req.body as QcDoctor;
      if (!d || typeof d.qcId !== 'string' || typeof d.name !== 'string') return { status: 400, body: { message: 'qcId and name required' } };
      const at = new Date(Math.max(Date.now(), Date.parse(directory.get(d.qcId)?.updatedAt ?? '') + 1 || 0)).toISOString();
      directory.set(d.qcId, { ...d, updatedAt: at });
      return { status: 201, body: directory.get(d.qcId) };
    },
  },
];
