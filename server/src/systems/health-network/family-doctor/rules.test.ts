import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addDays,
  addYears,
  ageOn,
  canChangeDoctor,
  canChangeHospitals,
  canRenew,
  canRenewFor,
  canSign,
  canTransfer,
  type ChangeHistory,
  changeYear,
  colourBounds,
  cycleEnd,
  DEFAULT_POLICY,
  daysBetween,
  remainingChances,
  renewalOptions,
  type RenewalFacts,
  ruleTexts,
  shanghaiToday,
  statusColour,
} from './rules.ts';

const T = '2026-06-15';
const fresh: ChangeHistory = { signedOn: '2025-01-10', doctorChanges: [], hospitalChanges: [] };

test('date helpers', () => {
  assert.equal(addDays('2026-02-28', 1), '2026-03-01');
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addDays('2026-01-01', -1), '2025-12-31');
  assert.equal(daysBetween('2026-01-01', '2026-12-31'), 364);
  assert.equal(daysBetween('2026-01-02', '2026-01-01'), -1);
  assert.equal(addYears('2024-02-29', 1), '2025-02-28');
  assert.equal(addYears('2024-02-29', 4), '2028-02-29');
  assert.equal(cycleEnd('2026-03-01', 1), '2027-02-28');
  assert.equal(cycleEnd('2026-01-01', 3), '2028-12-31');
  assert.equal(ageOn('1961-06-15', T), 65);
  assert.equal(ageOn('1961-06-16', T), 64);
  assert.equal(shanghaiToday(new Date('2026-06-14T16:30:00Z')), '2026-06-15');
  assert.equal(shanghaiToday(new Date('2026-06-14T15:59:00Z')), '2026-06-14');
});

test('status colour at every boundary (60 days before, 90 after)', () => {
  const at = (days: number) => statusColour(addDays(T, days), T);
  assert.equal(at(365), 'green');
  assert.equal(at(61), 'green');
  assert.equal(at(60), 'yellow');
  assert.equal(at(0), 'yellow');
  assert.equal(at(-1), 'yellow');
  assert.equal(at(-90), 'yellow');
  assert.equal(at(-91), 'red');
  assert.equal(at(-1000), 'red');
  const p = { ...DEFAULT_POLICY, yellowBeforeDays: 30, yellowAfterDays: 10 };
  assert.equal(statusColour(addDays(T, 31), T, p), 'green');
  assert.equal(statusColour(addDays(T, 30), T, p), 'yellow');
  assert.equal(statusColour(addDays(T, -10), T, p), 'yellow');
  assert.equal(statusColour(addDays(T, -11), T, p), 'red');
  // The SQL bounds agree with the function.
  const b = colourBounds(T);
  for (let d = -120; d <= 120; d++) {
    const end = addDays(T, d);
    const sql = end > b.greenAfter ? 'green' : end < b.redBefore ? 'red' : 'yellow';
    assert.equal(sql, statusColour(end, T), end);
  }
});

test('change-sign year: from the signing before any change, from the last change after one, repeating', () => {
  assert.deepEqual(changeYear(fresh, '2025-01-10'), { start: '2025-01-10', end: '2026-01-10' });
  assert.deepEqual(changeYear(fresh, '2026-01-09'), { start: '2025-01-10', end: '2026-01-10' });
  assert.deepEqual(changeYear(fresh, '2026-01-10'), { start: '2026-01-10', end: '2027-01-10' });
  const changed = { ...fresh, doctorChanges: ['2026-03-01'] };
  assert.deepEqual(changeYear(changed, T), { start: '2026-03-01', end: '2027-03-01' });
  assert.deepEqual(changeYear(changed, '2027-03-01'), { start: '2027-03-01', end: '2028-02-29' }, '365 days, across 29 February');
  assert.equal(changeYear(fresh, T, { ...DEFAULT_POLICY, changeYearDays: 100 }).start, addDays('2025-01-10', 500));
});

test('remaining chances count only the current change-sign year', () => {
  const c = remainingChances({ signedOn: '2025-01-10', doctorChanges: [], hospitalChanges: ['2025-05-01', '2026-02-01'] }, T);
  assert.deepEqual(c, {
    yearStart: '2026-01-10',
    yearEnd: '2027-01-10',
    doctorChangesUsed: 0,
    doctorChangesLeft: 1,
    hospitalChangesUsed: 1,
    hospitalChangesLeft: 1,
    transfersUnlimited: true,
  });
  const after = remainingChances({ signedOn: '2020-01-01', doctorChanges: ['2026-03-01'], hospitalChanges: ['2026-02-01', '2026-04-01', '2026-05-01'] }, T);
  assert.equal(after.doctorChangesUsed, 1);
  assert.equal(after.doctorChangesLeft, 0);
  assert.equal(after.hospitalChangesUsed, 2, 'the change before the doctor change belongs to the previous year');
  assert.equal(after.hospitalChangesLeft, 0);
});

test('sign: green and yellow refused with reasons, red and none allowed', () => {
  assert.deepEqual(canSign(null), { allowed: true, reason: null });
  assert.equal(canSign('red').allowed, true);
  assert.match(canSign('green').reason!, /已有有效签约（绿色）/);
  assert.match(canSign('yellow').reason!, /待续约期（黄色）.*续约/);
});

test('change of doctor: once per change-sign year, never inside the same community', () => {
  assert.equal(canChangeDoctor(fresh, T, false).allowed, true);
  assert.equal(canChangeDoctor(fresh, T, false).chances?.doctorChangesLeft, 1);
  const same = canChangeDoctor(fresh, T, true);
  assert.equal(same.allowed, false);
  assert.match(same.reason!, /社区内转签/);
  const used = canChangeDoctor({ ...fresh, doctorChanges: ['2026-01-01'] }, T, false);
  assert.equal(used.allowed, false);
  assert.match(used.reason!, /变更签约年（2026-01-01 至 2026-12-31）内已更换家庭医生 1 次，已达上限 1 次，2027-01-01 起可再次更换/);
  assert.equal(used.chances?.doctorChangesLeft, 0);
  // 365 days later the year is over.
  assert.equal(canChangeDoctor({ ...fresh, doctorChanges: ['2025-06-15'] }, T, false).allowed, true);
  assert.equal(canChangeDoctor({ ...fresh, doctorChanges: ['2025-06-16'] }, T, false).allowed, false);
  // A configured allowance of 2.
  assert.equal(canChangeDoctor({ ...fresh, doctorChanges: ['2026-01-01'] }, T, false, { ...DEFAULT_POLICY, maxDoctorChanges: 2 }).allowed, true);
});

test('transfer inside the community: unlimited, same community only, hospitals fixed', () => {
  const many = { ...fresh, doctorChanges: ['2026-01-01'] };
  assert.equal(canTransfer(many, T, { sameCommunity: true, sameDoctor: false, hospitalsChanged: false }).allowed, true);
  assert.match(canTransfer(fresh, T, { sameCommunity: false, sameDoctor: false, hospitalsChanged: false }).reason!, /须属于原签约社区/);
  assert.match(canTransfer(fresh, T, { sameCommunity: true, sameDoctor: true, hospitalsChanged: false }).reason!, /相同/);
  assert.match(canTransfer(fresh, T, { sameCommunity: true, sameDoctor: false, hospitalsChanged: true }).reason!, /不能变更签约组合中的区级医院和市级医院/);
});

test('upper-level hospitals: at most twice per change-sign year', () => {
  assert.equal(canChangeHospitals(fresh, T, true).allowed, true);
  assert.equal(canChangeHospitals(fresh, T, true).chances?.hospitalChangesLeft, 2);
  assert.equal(canChangeHospitals({ ...fresh, hospitalChanges: ['2026-02-01'] }, T, true).allowed, true);
  const twice = canChangeHospitals({ ...fresh, hospitalChanges: ['2026-02-01', '2026-03-01'] }, T, true);
  assert.equal(twice.allowed, false);
  assert.match(twice.reason!, /已更换上级医院 2 次，已达上限 2 次/);
  assert.equal(canChangeHospitals({ ...fresh, hospitalChanges: ['2025-02-01', '2025-03-01'] }, T, true).allowed, true, 'last year does not count');
  assert.match(canChangeHospitals(fresh, T, false).reason!, /均未变化/);
});

test('renewal only while yellow', () => {
  assert.equal(canRenew('yellow').allowed, true);
  assert.match(canRenew('green').reason!, /尚未进入续约期（到期前 60 天内可续约）/);
  assert.match(canRenew('red').reason!, /超过 90 天（红色），请重新签约/);
});

test('flexible renewal: every combination of the four conditions', () => {
  const base = (c1: boolean, c2: boolean, c3: boolean, old: boolean, exam: boolean): RenewalFacts => ({
    today: T,
    doctorSince: c1 ? addYears(T, -2) : addDays(addYears(T, -2), 1),
    visitsLastYear: c2 ? 2 : 1,
    hasHealthAssessment: c3,
    birthDate: old ? '1961-06-15' : '1961-06-16',
    hasPhysicalExam: exam,
  });
  for (const c1 of [false, true])
    for (const c2 of [false, true])
      for (const c3 of [false, true])
        for (const old of [false, true])
          for (const exam of [false, true]) {
            const o = renewalOptions(base(c1, c2, c3, old, exam));
            const c4 = old && exam;
            const expected = c1 && c2 && c4 ? [1, 2, 3] : c1 && c2 && c3 ? [1, 2] : [1];
            const label = JSON.stringify({ c1, c2, c3, old, exam });
            assert.deepEqual(o.years, expected, label);
            assert.deepEqual(
              o.conditions.map((c) => c.met),
              [c1, c2, c3, c4],
              label,
            );
            assert.match(o.reason, /[\u4e00-\u9fff]/);
            if (expected.length === 1) assert.match(o.reason, /未满足/);
            for (const y of [1, 2, 3]) assert.equal(canRenewFor(y, o).allowed, expected.includes(y), `${label} ${y}`);
          }
  assert.match(canRenewFor(3, renewalOptions(base(true, true, true, false, false))).reason!, /不能续约 3 年：满足①②③/);
});

test('the rule text shows the configured numbers', () => {
  const t = ruleTexts({ ...DEFAULT_POLICY, maxHospitalChanges: 3 }).join('');
  assert.match(t, /365 天/);
  assert.match(t, /不超过 3 次/);
});
