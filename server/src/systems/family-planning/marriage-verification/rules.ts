import type { PersonView } from '../../common/resident-index/service.ts';
import type { MarriageRecord, Party } from './normalize.ts';

/** How a party was found in the resident index. */
export type MatchMethod = 'idNumber' | 'nameBirth' | 'manual' | 'none';
export interface PartyMatch {
  person: PersonView | null;
  method: MatchMethod;
  /** Why nothing (or more than one) was found. */
  note?: string;
}

export interface Finding {
  rule: string;
  ok: boolean;
  message: string;
}

/** Facts from outside the record the audit needs: other registrations of the parties. */
export interface AuditFacts {
  /** Active marriages (at the registration date) of either party with someone else. */
  conflictingMarriages: number;
  /** For a divorce: whether a marriage of the two is known. */
  marriageOfPairKnown: boolean;
}

export type CaseStatus = 'matched' | 'exception' | 'manual';

const SIDE = { husband: '男方', wife: '女方' } as const;
const MIN_AGE = { husband: 22, wife: 20 } as const; // 民法典第一千零四十七条 法定婚龄

function fullYears(birth: string, on: string): number {
  const y = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  return on.slice(5) < birth.slice(5) ? y - 1 : y;
}

function partyFindings(side: 'husband' | 'wife', p: Party, m: PartyMatch, rec: MarriageRecord): Finding[] {
  const who = SIDE[side];
  const out: Finding[] = [];
  out.push(
    m.person
      ? {
          rule: `${side}.found`,
          ok: true,
          message: `${who}已匹配人口库（${m.method === 'idNumber' ? '证件号码' : m.method === 'nameBirth' ? '姓名+出生日期' : '人工确认'}）`,
        }
      : { rule: `${side}.found`, ok: false, message: `${who}未能在人口库中匹配${m.note ? `：${m.note}` : ''}，需人工确认` },
  );
  const birth = p.birthDate ?? m.person?.birthDate ?? null;
  if (!birth) out.push({ rule: `${side}.age`, ok: false, message: `${who}出生日期缺失，无法核对婚龄` });
  else if (rec.kind === 'marriage') {
    const age = fullYears(birth, rec.registeredOn);
    out.push(
      age >= MIN_AGE[side]
        ? { rule: `${side}.age`, ok: true, message: `${who}登记时 ${age} 周岁，达到法定婚龄` }
        : { rule: `${side}.age`, ok: false, message: `${who}登记时 ${age} 周岁，未达法定婚龄 ${MIN_AGE[side]} 周岁` },
    );
  }
  if (!m.person) return out;
  const person = m.person;
  out.push(
    person.name === p.name
      ? { rule: `${side}.name`, ok: true, message: `${who}姓名一致` }
      : { rule: `${side}.name`, ok: false, message: `${who}姓名不一致：民政「${p.name}」，人口库「${person.name}」` },
  );
  if (p.birthDate)
    out.push(
      person.birthDate === p.birthDate
        ? { rule: `${side}.birth`, ok: true, message: `${who}出生日期一致` }
        : { rule: `${side}.birth`, ok: false, message: `${who}出生日期不一致：民政 ${p.birthDate}，人口库 ${person.birthDate}` },
    );
  const sex = side === 'husband' ? 'M' : 'F';
  if (person.sex !== sex)
    out.push({ rule: `${side}.sex`, ok: false, message: `${who}在人口库中的性别为${person.sex === 'M' ? '男' : person.sex === 'F' ? '女' : '未知'}` });
  if (person.status === 'dead' && (!person.deathDate || person.deathDate < rec.registeredOn))
    out.push({ rule: `${side}.alive`, ok: false, message: `${who}已于 ${person.deathDate ?? '登记日前'} 死亡，登记日期不合理` });
  return out;
}

/**
 * The automatic audit of one case. A party not found means a person must decide (manual); found but
 * disagreeing facts, implausible dates or a conflicting marriage make an exception; otherwise matched.
 */
export function auditCase(
  rec: MarriageRecord,
  husband: PartyMatch,
  wife: PartyMatch,
  facts: AuditFacts,
  today: string,
): { status: CaseStatus; findings: Finding[] } {
  const findings: Finding[] = [...partyFindings('husband', rec.husband, husband, rec), ...partyFindings('wife', rec.wife, wife, rec)];
  findings.push(
    rec.registeredOn > today || rec.registeredOn < '1950-01-01'
      ? { rule: 'date', ok: false, message: `登记日期 ${rec.registeredOn} 不合理` }
      : { rule: 'date', ok: true, message: '登记日期合理' },
  );
  if (husband.person && wife.person && husband.person.id === wife.person.id) findings.push({ rule: 'pair', ok: false, message: '男女双方匹配到同一人' });
  if (rec.kind === 'marriage' && husband.person && wife.person) {
    findings.push(
      facts.conflictingMarriages > 0
        ? { rule: 'conflict', ok: false, message: `一方在登记日存在与他人的有效婚姻（${facts.conflictingMarriages} 条）` }
        : { rule: 'conflict', ok: true, message: '双方均无冲突的有效婚姻' },
    );
  }
  if (rec.kind === 'divorce' && husband.person && wife.person) {
    findings.push(
      facts.marriageOfPairKnown
        ? { rule: 'divorce', ok: true, message: '已找到双方的结婚登记' }
        : { rule: 'divorce', ok: false, message: '离婚登记未找到双方的结婚登记' },
    );
  }
  const failed = findings.filter((f) => !f.ok);
  const status: CaseStatus = failed.some((f) => f.rule.endsWith('.found')) ? 'manual' : failed.length ? 'exception' : 'matched';
  return { status, findings };
}
