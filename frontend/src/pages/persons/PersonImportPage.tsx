import { ArrowLeftOutlined, DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Descriptions, Form, Progress, Radio, Space, Tag, Typography, Upload } from 'antd';
import type { TableColumnsType, UploadFile } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { apiGetImportJob, apiImportPersons } from '../../api/endpoints';
import { localizedTitle } from '../../api/problem';
import { IMPORT_MODES, type ImportMode, type ImportReport } from '../../api/types';
import { ErrorAlert } from '../../components/ErrorAlert';
import {
  importOutcome,
  invalidRows,
  isAcceptedFile,
  isCapped,
  isRunning,
  issueColumn,
  issueRows,
  progressPercent,
  TEMPLATE_FILENAME,
  templateCsv,
  type IssueRow,
} from '../../features/import/report';
import { personsKey } from '../../features/persons/hooks';
import { saveBlob } from '../../lib/download';
import { ResponsiveTable } from '../../components/ResponsiveTable';

const outcomeAlert = { running: 'info', checked: 'info', success: 'success', partial: 'warning', rejected: 'error', failed: 'error' } as const;
const statusColor = { queued: 'default', running: 'processing', succeeded: 'success', failed: 'error', rejected: 'error' } as const;

export default function PersonImportPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [mode, setMode] = useState<ImportMode>('all_or_nothing');
  const [started, setStarted] = useState<ImportReport | null>(null);

  const submit = useMutation({
    mutationFn: (f: File) => apiImportPersons(f, { dry_run: dryRun, mode }),
    onSuccess: (report) => setStarted(report),
  });

  // A queued or running job (202) is polled every second until it finishes.
  const jobId = started && isRunning(started.status) ? started.job_id : null;
  const job = useQuery({
    queryKey: ['import', jobId],
    queryFn: () => apiGetImportJob(jobId!),
    enabled: !!jobId,
    refetchInterval: (q) => (isRunning(q.state.data?.status ?? 'queued') ? 1000 : false),
    staleTime: 0,
    gcTime: 0,
  });
  const report: ImportReport | null = (jobId ? job.data : null) ?? started;
  const outcome = report ? importOutcome(report) : null;

  useEffect(() => {
    if (report && !isRunning(report.status) && !report.dry_run && report.created > 0) {
      void queryClient.invalidateQueries({ queryKey: [...personsKey, 'list'] });
    }
  }, [report, queryClient]);

  const onSubmit = () => {
    if (!file) {
      void message.warning(t('import.noFile'));
      return;
    }
    setStarted(null);
    submit.mutate(file);
  };

  const fileList: UploadFile[] = file ? [{ uid: 'selected', name: file.name, status: 'done', size: file.size }] : [];

  const issueColumns: TableColumnsType<IssueRow> = [
    {
      title: t('import.columns.row'),
      dataIndex: 'row',
      key: 'row',
      width: 90,
      render: (v: number) => <span data-testid="import-issue-row">{v > 0 ? v : t('import.wholeFile')}</span>,
    },
    { title: t('import.columns.field'), key: 'column', width: 220, render: (_, issue) => issueColumn(issue) },
    { title: t('import.columns.message'), dataIndex: 'message', key: 'message', render: (v: string) => localizedTitle(v, i18n.language) },
  ];

  const busy = submit.isPending || (!!report && isRunning(report.status));
  const errors = issueRows(report?.errors);
  const warnings = issueRows(report?.warnings);

  return (
    <Card
      title={
        <Space>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/persons')} aria-label={t('common.back')} />
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('import.title')}
          </Typography.Title>
        </Space>
      }
      extra={
        <Button
          data-testid="import-template"
          icon={<DownloadOutlined />}
          onClick={() => saveBlob(new Blob([templateCsv()], { type: 'text/csv;charset=utf-8' }), TEMPLATE_FILENAME)}
        >
          {t('import.template')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('import.intro')}</Typography.Paragraph>
      <Form layout="vertical" style={{ maxWidth: 720 }}>
        <Form.Item>
          <div data-testid="import-upload">
            <Upload.Dragger
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              multiple={false}
              fileList={fileList}
              beforeUpload={(f) => {
                if (!isAcceptedFile(f.name)) {
                  void message.error(t('import.fileType'));
                } else {
                  setFile(f);
                  setStarted(null);
                }
                return Upload.LIST_IGNORE;
              }}
              onRemove={() => {
                setFile(null);
                return true;
              }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">{t('import.drop')}</p>
              <p className="ant-upload-hint">{t('import.dropHint')}</p>
            </Upload.Dragger>
          </div>
        </Form.Item>
        <Form.Item label={t('import.mode')}>
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as ImportMode)} data-testid="import-mode">
            <Space direction="vertical">
              {IMPORT_MODES.map((m) => (
                <Radio key={m} value={m} data-testid={`import-mode-${m}`}>
                  {t(`import.modes.${m}`)}
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item>
          <Checkbox data-testid="import-dry-run" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)}>
            {t('import.dryRun')}
          </Checkbox>
        </Form.Item>
        <Button data-testid="import-submit" type="primary" loading={busy} disabled={!file} onClick={onSubmit}>
          {dryRun ? t('import.check') : t('import.submit')}
        </Button>
      </Form>

      {submit.isError && (
        <div style={{ marginTop: 24 }}>
          <ErrorAlert error={submit.error} testId="import-error" />
        </div>
      )}
      {job.isError && (
        <div style={{ marginTop: 24 }}>
          <ErrorAlert error={job.error} testId="import-error" />
        </div>
      )}

      {report && outcome && (
        <div data-testid="import-report" data-status={report.status} style={{ marginTop: 24 }}>
          {isRunning(report.status) ? (
            <div data-testid="import-progress">
              <Progress percent={progressPercent(report)} status="active" />
              <Typography.Text type="secondary">
                {t('import.progress', { processed: report.processed_rows ?? 0, total: report.total_rows ?? '?' })}
              </Typography.Text>
            </div>
          ) : (
            <Alert
              data-testid="import-outcome"
              type={outcomeAlert[outcome]}
              showIcon
              message={t(`import.outcomes.${outcome}`, {
                valid: report.valid_rows,
                total: report.total_rows ?? 0,
                created: report.created,
                errors: invalidRows(report) ?? report.error_count,
              })}
            />
          )}
          <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} style={{ marginTop: 16 }} data-testid="import-summary">
            <Descriptions.Item label={t('import.summary.file')}>{report.file_name}</Descriptions.Item>
            <Descriptions.Item label={t('import.summary.job')}>
              <Space size={4}>
                <Typography.Text code>{report.job_id}</Typography.Text>
                <Tag color={statusColor[report.status] ?? 'default'}>{t(`import.statuses.${report.status}`, { defaultValue: report.status })}</Tag>
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('import.summary.total_rows')}>{report.total_rows ?? t('common.none')}</Descriptions.Item>
            <Descriptions.Item label={t('import.summary.valid_rows')}>{report.valid_rows}</Descriptions.Item>
            <Descriptions.Item label={t('import.summary.created')}>{report.created}</Descriptions.Item>
            <Descriptions.Item label={t('import.summary.errors')}>{report.error_count}</Descriptions.Item>
            <Descriptions.Item label={t('import.summary.warnings')}>{report.warning_count}</Descriptions.Item>
          </Descriptions>
          {errors.length > 0 && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t('import.errorsTitle')}
              </Typography.Title>
              {isCapped(errors.length, report.error_count) && (
                <Typography.Paragraph type="secondary">{t('import.capped', { shown: errors.length, total: report.error_count })}</Typography.Paragraph>
              )}
              <ResponsiveTable<IssueRow>
                data-testid="import-errors-table"
                rowKey="key"
                size="small"
                columns={issueColumns}
                dataSource={errors}
                pagination={errors.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              />
            </>
          )}
          {warnings.length > 0 && (
            <>
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                {t('import.warningsTitle')}
              </Typography.Title>
              {isCapped(warnings.length, report.warning_count) && (
                <Typography.Paragraph type="secondary">{t('import.capped', { shown: warnings.length, total: report.warning_count })}</Typography.Paragraph>
              )}
              <ResponsiveTable<IssueRow>
                data-testid="import-warnings-table"
                rowKey="key"
                size="small"
                columns={issueColumns}
                dataSource={warnings}
                pagination={warnings.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
              />
            </>
          )}
        </div>
      )}
    </Card>
  );
}
