/**
 * 信息预填: the application draft for an eligible child, checked against the national system's field
 * requirements (cs_field_requirement; seeded with defaults until they are fetched from it).
 */
export interface FieldRequirement {
  field: string;
  title: string;
  required: boolean;
}

export interface ChildFacts {
  person_id: number;
  name_mask: string;
  id_mask: string | null;
  birth_date: string;
  hukou_district: string | null;
  birth_order: number | null;
  birth_order_review: boolean;
  applicant_person_id: number | null;
  applicant_relation: string | null;
  applicant_name_mask: string | null;
  applicant_id_mask: string | null;
  applicant_phone: boolean;
}

export interface Draft {
  fields: Record<string, string | number | null>;
  applicantPersonId: number | null;
}

export interface Missing {
  field: string;
  title: string;
  reason: string;
}

/** Identity numbers and phones are referenced (masked here), sealed values are read when the draft is sent. */
export function buildDraft(c: ChildFacts): Draft {
  return {
    applicantPersonId: c.applicant_person_id,
    fields: {
      child_name: c.name_mask,
      child_id_number: c.id_mask,
      child_birth_date: c.birth_date,
      child_hukou_district: c.hukou_district,
      birth_order: c.birth_order_review ? null : c.birth_order,
      applicant_relation: c.applicant_relation,
      applicant_name: c.applicant_name_mask,
      applicant_id_number: c.applicant_id_mask,
      applicant_phone: c.applicant_phone ? '已登记' : null,
      bank_account: null, // 由家长在短信确认时填写
    },
  };
}

const WHY: Record<string, string> = {
  birth_order: '孩次来源不一致，待人工核定',
  applicant_name: '未找到可作为申领人的父母',
  applicant_relation: '未找到可作为申领人的父母',
  applicant_id_number: '申领人证件号码缺失',
  applicant_phone: '申领人未登记手机号码',
};

export function validateDraft(d: Draft, reqs: readonly FieldRequirement[]): Missing[] {
  return reqs
    .filter((r) => r.required && (d.fields[r.field] === null || d.fields[r.field] === undefined || d.fields[r.field] === ''))
    .map((r) => ({ field: r.field, title: r.title, reason: WHY[r.field] ?? `${r.title}缺失` }));
}
