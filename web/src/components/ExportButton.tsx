import { DownloadOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import { useState } from 'react';
import { errorText } from '../app/api';

export interface ExportColumn<T> {
  title: string;
  value: (row: T) => string | number | boolean | null | undefined;
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Exports what the user is looking at to CSV (with a BOM so Excel opens Chinese correctly).
 * Only already-masked data leaves the browser: pages never hold unmasked rows in lists.
 */
export function ExportButton<T>({
  filename,
  columns,
  rows,
  disabled,
}: {
  filename: string;
  columns: ExportColumn<T>[];
  rows: () => Promise<T[]> | T[];
  disabled?: boolean;
}) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const data = await rows();
      const lines = [columns.map((c) => csvCell(c.title)).join(','), ...data.map((r) => columns.map((c) => csvCell(c.value(r))).join(','))];
      const blob = new Blob([`\uFEFF${lines.join('\r\n')}`], { type: 'text/csv;charset=utf-8' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = filename.endsWith('.csv') ? filename : `${filename}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      message.success(`已导出 ${data.length} 条`);
    } catch (e) {
      message.error(`导出失败：${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<DownloadOutlined />} loading={busy} disabled={disabled} onClick={run}>
      导出
    </Button>
  );
}
