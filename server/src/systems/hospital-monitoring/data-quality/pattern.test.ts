import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ICD10, matches, patternProblem } from './pattern.ts';

test('ICD-10 pattern: well-formed codes pass, common slips do not', () => {
  for (const ok of ['J06.9', 'I10', 'E11.900', 'O80.0', 'K29.7']) assert.ok(matches(ICD10, ok), ok);
  for (const bad of ['J069x', 'j06.9', 'J06。9', 'J06.9 ', ' J06.9', 'J6.9', 'J06.', '', 'J06.99999']) assert.ok(!matches(ICD10, bad), bad);
  assert.equal(matches(ICD10, 'J069'), false);
});

test('only the subset both PostgreSQL and JavaScript read alike is accepted', () => {
  assert.equal(patternProblem(ICD10), null);
  assert.equal(patternProblem('[0-9]{6}'), null);
  assert.equal(patternProblem('(A|B)[0-9]+'), null);
  assert.match(patternProblem('\\d{3}') ?? '', /不受支持/);
  assert.match(patternProblem('(?=a)') ?? '', /不受支持/);
  assert.match(patternProblem('a^b') ?? '', /不受支持/);
  assert.match(patternProblem('(ab') ?? '', /括号/);
  assert.match(patternProblem('') ?? '', /1–120/);
  assert.match(patternProblem('[^a]') ?? '', /不受支持/);
});
