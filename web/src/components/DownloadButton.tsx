import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, type ButtonProps } from 'antd';
import { type ReactNode, useState } from 'react';
import { download, errorText, type Query } from '../app/api';

/**
 * Downloads a file the server generates (Excel/PDF reports). Unlike ExportButton (CSV of what is on
 * screen), the server builds the file, so scope, masking and auditing apply as for any other read.
 */
export function DownloadButton({
  url,
  query,
  filename,
  children,
  ...rest
}: {
  /** '/api/v1/...' or a path below it. */
  url: string;
  query?: Query;
  filename?: string;
  children?: ReactNode;
} & Omit<ButtonProps, 'onClick' | 'loading' | 'children'>) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const name = await download(url, query, filename);
      message.success(`已下载 ${name}`);
    } catch (e) {
      message.error(`下载失败：${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<DownloadOutlined />} {...rest} loading={busy} onClick={run}>
      {children ?? '下载'}
    </Button>
  );
}
