/** The birth-verification API's shapes come from the server's declarations; the labels and colours are the console's. */
import type {
  Assist,
  BirthOrderAnswer,
  DeathReport,
  FieldMapView,
  Finding,
  HistoryEvent,
  HouseholdField,
  HouseholdPrefill,
  IntakeBatch,
  NewbornOutcome,
  PrefillField,
  RejectedRecord,
  Stats,
  StatsRow,
  Task,
  TaskDetail,
  TaskList,
  TaskPrefill,
} from '@server/systems/family-planning/birth-verification/responses.ts';

export type {
  Assist,
  BirthOrderAnswer,
  DeathReport,
  FieldMapView,
  Finding,
  HistoryEvent,
  HouseholdField,
  HouseholdPrefill,
  IntakeBatch,
  NewbornOutcome,
  PrefillField,
  RejectedRecord,
  Stats,
  StatsRow,
  Task,
  TaskDetail,
  TaskList,
  TaskPrefill,
};

export const STATUS_COLOR: Record<Task['status'], string> = { pending: 'blue', assisting: 'orange', approved: 'green', rejected: 'red' };

export const CHECK_TITLE: Record<string, string> = {
  mother_not_found: '母亲未在人口库中找到',
  mother_name_mismatch: '母亲姓名与人口库不一致',
  father_not_found: '父亲未在人口库中找到',
  father_name_mismatch: '父亲姓名与人口库不一致',
  child_not_linked: '儿童未匹配到人口库',
  name_mismatch: '儿童姓名不一致',
  birth_date_mismatch: '出生日期不一致',
  child_dead: '儿童已死亡',
  missing_hukou: '应落户未落户',
  duplicate: '疑似重复登记',
  birth_order_mismatch: '孩次不一致',
  no_marriage_record: '父母无婚姻登记记录',
  non_resident_id: '非居民身份证件',
};

export const REPLY_OPTIONS = [
  { value: 'confirmed', label: '核实属实（在本街道居住）' },
  { value: 'not_found', label: '查无此人' },
  { value: 'moved', label: '已迁出' },
  { value: 'other', label: '其他' },
];
