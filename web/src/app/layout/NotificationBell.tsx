import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { Notification, NotificationList } from '@server/platform/notifications/responses.ts';
import { api } from '../api';
import { fmtTime } from '../format';

const POLL_MS = 60_000;

/** The header bell: reminders and alerts other modules send to this user (platform/notifications). */
export function NotificationBell() {
  const navigate = useNavigate();
  const [data, setData] = useState<NotificationList>({ unread: 0, items: [] });
  const [open, setOpen] = useState(false);
  const [tick, setTick] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: tick forces a reload after marking read
  useEffect(() => {
    let alive = true;
    const load = () =>
      api.get<NotificationList>('/notifications', { limit: 20 }).then(
        (d) => alive && setData(d),
        () => undefined, // the bell never breaks the page; a 401 is handled by the session
      );
    void load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [tick]);

  const openItem = async (i: Notification) => {
    if (!i.readAt) await api.post(`/notifications/${i.id}/read`).catch(() => undefined);
    setTick((t) => t + 1);
    setOpen(false);
    if (i.link) navigate(i.link);
  };

  const content = (
    <div style={{ width: 360 }} data-testid="notification-list">
      {data.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无通知" />
      ) : (
        <List
          size="small"
          dataSource={data.items}
          renderItem={(i) => (
            <List.Item style={{ cursor: 'pointer', opacity: i.readAt ? 0.6 : 1 }} onClick={() => void openItem(i)}>
              <List.Item.Meta
                title={<Typography.Text strong={!i.readAt}>{i.title}</Typography.Text>}
                description={
                  <>
                    {i.body && <div>{i.body}</div>}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {fmtTime(i.createdAt)}
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
      {data.unread > 0 && (
        <Button type="link" size="small" onClick={() => void api.post('/notifications/read-all').then(() => setTick((t) => t + 1))}>
          全部标为已读
        </Button>
      )}
    </div>
  );

  return (
    <Popover trigger="click" open={open} onOpenChange={setOpen} title="通知与提醒" content={content} placement="bottomRight">
      <Badge count={data.unread} size="small" offset={[-2, 2]}>
        <Button type="text" aria-label="通知" data-testid="notification-bell" icon={<BellOutlined style={{ color: '#fff', fontSize: 18 }} />} />
      </Badge>
    </Popover>
  );
}
