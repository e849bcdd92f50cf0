// The responses are declared once on the server (terminology/responses.ts); these are their types.
import type {
  ChangeOut,
  ConceptDetail,
  DesignationOut,
  MapOut,
  Named,
  SearchResult,
  SystemOut,
  VersionOut,
} from '@server/systems/hospital-monitoring/terminology/responses.ts';

export type { ConceptDetail, Named };
export type VersionRow = VersionOut;
export type SystemRow = SystemOut;
export type MapRow = MapOut;
export type Designation = DesignationOut;
export type ChangeRow = ChangeOut;

export type SearchHit = SearchResult['hits'][number];

export interface ChangeItem {
  op: 'add' | 'retire' | 'reactivate' | 'rename' | 'move' | 'designations' | 'properties';
  code: string;
  display?: string;
  parents?: string[];
  designations?: Designation[];
}

export interface ChangeRequest {
  id: number;
  system: string;
  systemTitle: string;
  title: string;
  version: string | null;
  items: ChangeItem[];
  status: 'draft' | 'submitted' | 'approved' | 'rejected' | 'published';
  createdBy: string;
  createdAt: string;
  submittedBy: string | null;
  reviewedBy: string | null;
  reviewNote: string | null;
  publishedBy: string | null;
  publishedAt: string | null;
  publishedVersion: string | null;
  contentHash: string | null;
}

export const CHANGE_KIND: Record<string, string> = {
  added: '新增',
  retired: '停用',
  reactivated: '恢复',
  renamed: '改名',
  moved: '移动',
  designation: '同义词/英文名',
  property: '属性',
  removed: '删除',
};

export const OP_TEXT: Record<ChangeItem['op'], string> = {
  add: '新增',
  retire: '停用',
  reactivate: '恢复',
  rename: '改名',
  move: '移动',
  designations: '同义词/英文名',
  properties: '属性',
};

export const CR_STATUS: Record<ChangeRequest['status'], { text: string; color: string }> = {
  draft: { text: '草稿', color: 'default' },
  submitted: { text: '待审核', color: 'processing' },
  approved: { text: '已批准', color: 'cyan' },
  rejected: { text: '已驳回', color: 'error' },
  published: { text: '已发布', color: 'success' },
};

export const USE_TEXT: Record<string, string> = { synonym: '同义词', english: '英文名', abbreviation: '缩写', pinyin: '拼音', 'pinyin-initials': '拼音首字母' };
