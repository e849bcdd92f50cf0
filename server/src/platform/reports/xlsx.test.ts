import assert from 'node:assert/strict';
import { test } from 'node:test';
import ExcelJS from 'exceljs';
import { renderXlsx } from './xlsx.ts';

test('sheets, headers and values survive a round trip through Excel', async () => {
  const buf = await renderXlsx([
    {
      name: '日报',
      columns: [
        { header: '区', key: 'district' },
        { header: '签约数', key: 'signed' },
        { header: '日期', key: 'day' },
      ],
      rows: [
        { district: '浦东新区', signed: 1200, day: '2026-11-25' },
        { district: '黄浦区', signed: null, day: '2026-11-25' },
      ],
    },
    // Illegal characters and an over-long name are cleaned; a clashing name gets a suffix.
    { name: '日报', columns: [{ header: '备注', key: 'note' }], rows: [{ note: { a: 1 } }] },
    { name: 'a/b:c*d?[e]f\\ghijklmnopqrstuvwxyz0123456789', columns: [{ header: 'x', key: 'x' }], rows: [{ x: 1n }] },
  ]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  assert.deepEqual(
    wb.worksheets.map((w) => w.name),
    ['日报', '日报(2)', 'a b c d  e f ghijklmnopqrstuvwx'],
  );
  const s = wb.worksheets[0];
  assert.ok(s);
  assert.deepEqual((s.getRow(1).values as unknown[]).slice(1), ['区', '签约数', '日期']);
  assert.deepEqual((s.getRow(2).values as unknown[]).slice(1), ['浦东新区', 1200, '2026-11-25']);
  assert.equal(s.getRow(3).getCell(2).value, null);
  assert.equal(wb.worksheets[1]?.getRow(2).getCell(1).value, '{"a":1}');
  assert.equal(wb.worksheets[2]?.getRow(2).getCell(1).value, 1);
});

test('a report export starts with a title row naming the scope and the date; headers follow on row 2', async () => {
  const buf = await renderXlsx(
    [
      {
        name: '日报',
        columns: [
          { header: '区', key: 'district' },
          { header: '签约数', key: 'signed' },
        ],
        rows: [{ district: '黄浦区', signed: 3 }],
      },
    ],
    { title: '签约日报', scope: '本区：黄浦区', date: '2026-12-07' },
  );
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const s = wb.worksheets[0];
  assert.ok(s);
  assert.equal(s.getRow(1).getCell(1).value, '签约日报（数据范围：本区：黄浦区；导出日期：2026-12-07）');
  assert.ok(s.getCell('A1').isMerged, 'the title spans the columns');
  assert.deepEqual((s.getRow(2).values as unknown[]).slice(1), ['区', '签约数']);
  assert.deepEqual((s.getRow(3).values as unknown[]).slice(1), ['黄浦区', 3]);
  assert.equal((s.views[0] as { ySplit?: number }).ySplit, 2, 'title and headers stay in view');
});
