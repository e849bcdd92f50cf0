// 家庭医生质控平台: family-doctor pushes contracts to it (generic inbox protocol), fd-people reads its
// doctor list. One adapter, declared by both modules (the registry keeps one per system).
import { defineAdapter } from '../adapter.ts';

export const QC_SYSTEM = 'fd-qc-platform';

export const fdQcPlatform = defineAdapter({ system: QC_SYSTEM });
