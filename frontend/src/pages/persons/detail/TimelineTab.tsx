import { Alert, Empty, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { useTimeline } from '../../../features/records/hooks';
import { describeSummary, SOURCE_COLORS, timelineDate, timelineLabel } from '../../../features/records/timeline';
import { UnitName } from '../../../features/units/UnitName';
import { formatDateTime } from '../../../lib/dates';
import { useLooseT } from '../../../lib/useLooseT';

/** Everything that happened to the file, newest first (registry, treatment, after-care). */
export function TimelineTab({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const tr = useLooseT();
  const timeline = useTimeline(personId);

  if (timeline.isPending) return <Skeleton active />;
  if (timeline.isError) return <ErrorAlert error={timeline.error} testId="timeline-error" />;
  const { items, unavailable } = timeline.data;

  return (
    <div data-testid="timeline-list">
      {unavailable.length > 0 && (
        <Alert
          data-testid="timeline-unavailable"
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('timeline.unavailable', { services: unavailable.map((s) => tr(`timeline.sources.${s}`, s)).join(', ') })}
        />
      )}
      {items.length === 0 ? (
        <Empty data-testid="timeline-empty" description={t('timeline.empty')} />
      ) : (
        <Timeline
          items={items.map((item, i) => {
            const parts = describeSummary(item.type, item.summary, tr);
            return {
              key: `${item.at}-${item.type}-${i}`,
              color: SOURCE_COLORS[item.source] ?? 'gray',
              children: (
                <div data-testid="timeline-item" data-type={item.type}>
                  <Space size={8} wrap>
                    <Typography.Text type="secondary">{timelineDate(item)}</Typography.Text>
                    <Typography.Text strong data-testid="timeline-item-label">
                      {timelineLabel(item.type, tr)}
                    </Typography.Text>
                    <Tag bordered={false}>{tr(`timeline.sources.${item.source}`, item.source)}</Tag>
                  </Space>
                  {parts.length > 0 && (
                    <div className="timeline-summary">
                      {parts.map((p) => (
                        <span key={p.key}>
                          <Typography.Text type="secondary">{p.label}: </Typography.Text>
                          {p.unitCode ? <UnitName code={p.unitCode} /> : p.value}
                        </span>
                      ))}
                    </div>
                  )}
                  {item.on && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('timeline.recordedAt', { at: formatDateTime(item.at) })}
                    </Typography.Text>
                  )}
                </div>
              ),
            };
          })}
        />
      )}
    </div>
  );
}
