import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, Col, Form, Input, Radio, Row, Select, Space, Tag, Tooltip, Typography, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiGetCommitmentDocument } from '../../../api/endpoints';
import {
  CHECKIN_KINDS,
  CHECKIN_OUTCOMES,
  DETERMINATION_RESULTS,
  DRUG_TEST_RESULTS,
  MOVEMENT_KINDS,
  SUBSTANCE_GROUPS,
  SUBSTANCES,
  TEST_METHODS,
  type Checkin,
  type CheckinKind,
  type CheckinOutcome,
  type Commitment,
  type Determination,
  type DeterminationResult,
  type DrugTest,
  type DrugTestResult,
  type Movement,
  type MovementKind,
  type Substance,
  type SubstanceGroup,
  type TestMethod,
} from '../../../api/types';
import { useErrorMessage } from '../../../components/ErrorAlert';
import { isoOrUndefined, textOrUndefined, todayInput, useDateRules } from '../../../features/forms/dateRules';
import { normalizePhone, PHONE_PATTERN } from '../../../features/persons/form';
import { documentProblem } from '../../../features/records/documents';
import { useUploadCommitmentDocument } from '../../../features/records/hooks';
import { UnitName } from '../../../features/units/UnitName';
import { UnitSelect } from '../../../features/units/UnitSelect';
import { saveBlob } from '../../../lib/download';
import { formatDate, formatDateTime } from '../../../lib/dates';
import { RecordTab } from './RecordTab';

interface TabProps {
  personId: string;
  readOnly?: boolean;
}

function DateField({ name, label, testId }: { name: string; label: string; testId: string }) {
  const rules = useDateRules();
  return (
    <Form.Item name={name} label={label} rules={rules} extra="dd/mm/yyyy">
      <Input data-testid={testId} placeholder="dd/mm/yyyy" autoComplete="off" inputMode="numeric" maxLength={10} style={{ maxWidth: 200 }} />
    </Form.Item>
  );
}

function NoteField({ testId }: { testId: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item name="note" label={t('records.determination.fields.note')}>
      <Input.TextArea data-testid={testId} rows={2} maxLength={1000} />
    </Form.Item>
  );
}

const required = (message: string) => [{ required: true, message }];

// ---------------------------------------------------------------- determinations

interface DeterminationValues {
  determined_on: string;
  clinic: string;
  result: DeterminationResult;
  substance_group: SubstanceGroup;
  decision_number?: string;
  note?: string;
}

function DeterminationFields() {
  const { t } = useTranslation();
  const req = required(t('records.errors.required'));
  return (
    <>
      <Row gutter={16}>
        <Col xs={24} md={10}>
          <DateField name="determined_on" label={t('records.determination.fields.determined_on')} testId="determination-date" />
        </Col>
        <Col xs={24} md={14}>
          <Form.Item name="clinic" label={t('records.determination.fields.clinic')} rules={[{ required: true, whitespace: true, message: t('records.errors.required') }]}>
            <Input data-testid="determination-clinic" maxLength={200} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="result" label={t('records.determination.fields.result')} rules={req}>
        <Radio.Group>
          {DETERMINATION_RESULTS.map((r) => (
            <Radio key={r} value={r} data-testid={`determination-result-${r}`}>
              {t(`records.determination.results.${r}`)}
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
      <Form.Item name="substance_group" label={t('records.determination.fields.substance_group')} rules={req}>
        <Radio.Group>
          {SUBSTANCE_GROUPS.map((g) => (
            <Radio key={g} value={g} data-testid={`determination-substance-${g}`}>
              {t(`records.determination.substanceGroups.${g}`)}
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
      <Form.Item name="decision_number" label={t('records.determination.fields.decision_number')}>
        <Input data-testid="determination-decision-number" maxLength={100} style={{ maxWidth: 300 }} />
      </Form.Item>
      <NoteField testId="determination-note" />
    </>
  );
}

export function DeterminationsTab({ personId, readOnly }: TabProps) {
  const { t } = useTranslation();
  const columns: TableColumnsType<Determination> = [
    { title: t('records.determination.fields.determined_on'), dataIndex: 'determined_on', key: 'on', width: 130, render: (v: string) => formatDate(v) },
    {
      title: t('records.determination.fields.result'),
      dataIndex: 'result',
      key: 'result',
      render: (v: DeterminationResult) => <Tag color={v === 'addicted' ? 'volcano' : 'green'}>{t(`records.determination.results.${v}`, { defaultValue: v })}</Tag>,
    },
    {
      title: t('records.determination.fields.substance_group'),
      dataIndex: 'substance_group',
      key: 'group',
      render: (v: SubstanceGroup) => t(`records.determination.substanceGroups.${v}`, { defaultValue: v }),
    },
    { title: t('records.determination.fields.clinic'), dataIndex: 'clinic', key: 'clinic' },
    { title: t('records.determination.fields.decision_number'), dataIndex: 'decision_number', key: 'number' },
    { title: t('records.determination.fields.note'), dataIndex: 'note', key: 'note' },
  ];
  return (
    <RecordTab<'determinations', DeterminationValues>
      personId={personId}
      kind="determinations"
      testId="determination"
      addLabel={t('records.determination.add')}
      columns={columns}
      Fields={DeterminationFields}
      readOnly={readOnly}
      initialValues={() => ({ determined_on: todayInput() })}
      knownFields={['determined_on', 'clinic', 'result', 'substance_group', 'decision_number', 'note']}
      toBody={(v) => ({
        determined_on: isoOrUndefined(v.determined_on)!,
        clinic: v.clinic.trim(),
        result: v.result,
        substance_group: v.substance_group,
        decision_number: textOrUndefined(v.decision_number),
        note: textOrUndefined(v.note),
      })}
    />
  );
}

// ---------------------------------------------------------------- drug tests

interface DrugTestValues {
  tested_on: string;
  result: DrugTestResult;
  substances?: Substance[];
  method?: TestMethod;
  note?: string;
}

function DrugTestFields() {
  const { t } = useTranslation();
  const form = Form.useFormInstance<DrugTestValues>();
  const result = Form.useWatch('result', form);
  return (
    <>
      <Row gutter={16}>
        <Col xs={24} md={10}>
          <DateField name="tested_on" label={t('records.drugTest.fields.tested_on')} testId="drug-test-date" />
        </Col>
        <Col xs={24} md={14}>
          <Form.Item name="method" label={t('records.drugTest.fields.method')}>
            <Select<TestMethod>
              data-testid="drug-test-method"
              allowClear
              options={TEST_METHODS.map((m) => ({ value: m, label: t(`records.drugTest.methods.${m}`) }))}
              style={{ maxWidth: 240 }}
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="result" label={t('records.drugTest.fields.result')} rules={required(t('records.errors.required'))}>
        <Radio.Group>
          {DRUG_TEST_RESULTS.map((r) => (
            <Radio key={r} value={r} data-testid={`drug-test-result-${r}`}>
              {t(`records.drugTest.results.${r}`)}
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
      {result === 'positive' && (
        <Form.Item name="substances" label={t('records.drugTest.fields.substances')} rules={[{ required: true, type: 'array', min: 1, message: t('records.errors.required') }]}>
          <Checkbox.Group>
            <Row gutter={[8, 4]}>
              {SUBSTANCES.map((s) => (
                <Col key={s} xs={12} md={8}>
                  <Checkbox value={s} data-testid={`drug-test-substance-${s}`}>
                    {t(`records.drugTest.substances.${s}`)}
                  </Checkbox>
                </Col>
              ))}
            </Row>
          </Checkbox.Group>
        </Form.Item>
      )}
      <NoteField testId="drug-test-note" />
    </>
  );
}

export function DrugTestsTab({ personId, readOnly }: TabProps) {
  const { t } = useTranslation();
  const columns: TableColumnsType<DrugTest> = [
    { title: t('records.drugTest.fields.tested_on'), dataIndex: 'tested_on', key: 'on', width: 130, render: (v: string) => formatDate(v) },
    {
      title: t('records.drugTest.fields.result'),
      dataIndex: 'result',
      key: 'result',
      width: 120,
      render: (v: DrugTestResult) => <Tag color={v === 'positive' ? 'red' : 'green'}>{t(`records.drugTest.results.${v}`, { defaultValue: v })}</Tag>,
    },
    {
      title: t('records.drugTest.fields.substances'),
      dataIndex: 'substances',
      key: 'substances',
      render: (v: Substance[] | undefined) => (v ?? []).map((s) => t(`records.drugTest.substances.${s}`, { defaultValue: s })).join(', '),
    },
    {
      title: t('records.drugTest.fields.method'),
      dataIndex: 'method',
      key: 'method',
      render: (v: TestMethod | null | undefined) => (v ? t(`records.drugTest.methods.${v}`, { defaultValue: v }) : ''),
    },
    { title: t('records.drugTest.fields.note'), dataIndex: 'note', key: 'note' },
  ];
  return (
    <RecordTab<'drug-tests', DrugTestValues>
      personId={personId}
      kind="drug-tests"
      testId="drug-test"
      addLabel={t('records.drugTest.add')}
      columns={columns}
      Fields={DrugTestFields}
      readOnly={readOnly}
      initialValues={() => ({ tested_on: todayInput() })}
      knownFields={['tested_on', 'result', 'substances', 'method', 'note']}
      toBody={(v) => ({
        tested_on: isoOrUndefined(v.tested_on)!,
        result: v.result,
        substances: v.result === 'positive' ? (v.substances ?? []) : [],
        method: v.method ?? undefined,
        note: textOrUndefined(v.note),
      })}
    />
  );
}

// ---------------------------------------------------------------- commitments

interface CommitmentValues {
  signed_on: string;
  signer_name: string;
  relationship: string;
  signer_phone?: string;
  note?: string;
}

function CommitmentFields() {
  const { t } = useTranslation();
  const text = [{ required: true, whitespace: true, message: t('records.errors.required') }];
  return (
    <>
      <DateField name="signed_on" label={t('records.commitment.fields.signed_on')} testId="commitment-date" />
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="signer_name" label={t('records.commitment.fields.signer_name')} rules={text}>
            <Input data-testid="commitment-signer-name" maxLength={200} />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="relationship" label={t('records.commitment.fields.relationship')} rules={text}>
            <Input data-testid="commitment-relationship" maxLength={100} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        name="signer_phone"
        label={t('records.commitment.fields.signer_phone')}
        rules={[
          {
            validator: async (_, value?: string) => {
              const phone = normalizePhone(value);
              if (phone && !PHONE_PATTERN.test(phone)) throw new Error(t('records.errors.phoneFormat'));
            },
          },
        ]}
      >
        <Input data-testid="commitment-signer-phone" inputMode="tel" maxLength={20} style={{ maxWidth: 240 }} />
      </Form.Item>
      <NoteField testId="commitment-note" />
    </>
  );
}


function CommitmentDocument({ personId, commitment, readOnly }: { personId: string; commitment: Commitment; readOnly?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const describe = useErrorMessage();
  const upload = useUploadCommitmentDocument(personId);
  const [downloading, setDownloading] = useState(false);
  const present = !!commitment.document;

  const onDownload = async () => {
    setDownloading(true);
    try {
      const file = await apiGetCommitmentDocument(personId, commitment.id);
      const ext = file.blob.type === 'application/pdf' ? 'pdf' : file.blob.type === 'image/png' ? 'png' : 'jpg';
      saveBlob(file.blob, commitment.document?.filename || file.filename || `cam-ket-${commitment.signed_on}.${ext}`);
    } catch (e) {
      void message.error(describe(e));
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Space size={4} wrap>
      {present ? (
        <Button size="small" icon={<DownloadOutlined />} loading={downloading} onClick={() => void onDownload()} data-testid="commitment-download">
          {commitment.document?.filename ?? t('records.commitment.download')}
        </Button>
      ) : (
        <Typography.Text type="secondary">{t('records.commitment.noDocument')}</Typography.Text>
      )}
      {!readOnly && (
        <Tooltip title={t('records.commitment.docHint')}>
          <span data-testid="commitment-upload">
            <Upload
              accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
              showUploadList={false}
              maxCount={1}
              beforeUpload={(file) => {
                const problem = documentProblem(file);
                if (problem) {
                  void message.error(problem === 'type' ? t('records.commitment.docType') : t('records.commitment.docSize'));
                } else {
                  upload.mutate(
                    { commitmentId: commitment.id, file },
                    {
                      onSuccess: () => void message.success(t('records.commitment.uploaded')),
                      onError: (e) => void message.error(describe(e)),
                    },
                  );
                }
                return Upload.LIST_IGNORE;
              }}
            >
              <Button size="small" icon={<UploadOutlined />} loading={upload.isPending}>
                {present ? t('records.commitment.replace') : t('records.commitment.upload')}
              </Button>
            </Upload>
          </span>
        </Tooltip>
      )}
    </Space>
  );
}

export function CommitmentsTab({ personId, readOnly }: TabProps) {
  const { t } = useTranslation();
  const columns: TableColumnsType<Commitment> = [
    { title: t('records.commitment.fields.signed_on'), dataIndex: 'signed_on', key: 'on', width: 120, render: (v: string) => formatDate(v) },
    { title: t('records.commitment.fields.signer_name'), dataIndex: 'signer_name', key: 'signer' },
    { title: t('records.commitment.fields.relationship'), dataIndex: 'relationship', key: 'relationship' },
    { title: t('records.commitment.fields.signer_phone'), dataIndex: 'signer_phone', key: 'phone' },
    {
      title: t('records.commitment.fields.document'),
      key: 'document',
      render: (_, c) => <CommitmentDocument personId={personId} commitment={c} readOnly={readOnly} />,
    },
    { title: t('records.commitment.fields.note'), dataIndex: 'note', key: 'note' },
  ];
  return (
    <RecordTab<'commitments', CommitmentValues>
      personId={personId}
      kind="commitments"
      testId="commitment"
      addLabel={t('records.commitment.add')}
      columns={columns}
      Fields={CommitmentFields}
      readOnly={readOnly}
      initialValues={() => ({ signed_on: todayInput() })}
      knownFields={['signed_on', 'signer_name', 'relationship', 'signer_phone', 'note']}
      toBody={(v) => ({
        signed_on: isoOrUndefined(v.signed_on)!,
        signer_name: v.signer_name.trim(),
        relationship: v.relationship.trim(),
        signer_phone: normalizePhone(v.signer_phone) || undefined,
        note: textOrUndefined(v.note),
      })}
    />
  );
}

// ---------------------------------------------------------------- check-ins

interface CheckinValues {
  on: string;
  kind: CheckinKind;
  outcome: CheckinOutcome;
  note?: string;
}

function CheckinFields() {
  const { t } = useTranslation();
  const req = required(t('records.errors.required'));
  return (
    <>
      <DateField name="on" label={t('records.checkin.fields.on')} testId="checkin-date" />
      <Form.Item name="kind" label={t('records.checkin.fields.kind')} rules={req}>
        <Radio.Group>
          {CHECKIN_KINDS.map((k) => (
            <Radio key={k} value={k} data-testid={`checkin-kind-${k}`}>
              {t(`records.checkin.kinds.${k}`)}
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
      <Form.Item name="outcome" label={t('records.checkin.fields.outcome')} rules={req}>
        <Radio.Group>
          {CHECKIN_OUTCOMES.map((o) => (
            <Radio key={o} value={o} data-testid={`checkin-outcome-${o}`}>
              {t(`records.checkin.outcomes.${o}`)}
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
      <NoteField testId="checkin-note" />
    </>
  );
}

export function CheckinsTab({ personId, readOnly }: TabProps) {
  const { t } = useTranslation();
  const columns: TableColumnsType<Checkin> = [
    { title: t('records.checkin.fields.on'), dataIndex: 'on', key: 'on', width: 120, render: (v: string) => formatDate(v) },
    { title: t('records.checkin.fields.kind'), dataIndex: 'kind', key: 'kind', render: (v: CheckinKind) => t(`records.checkin.kinds.${v}`, { defaultValue: v }) },
    {
      title: t('records.checkin.fields.outcome'),
      dataIndex: 'outcome',
      key: 'outcome',
      render: (v: CheckinOutcome) => (
        <Tag color={v === 'present' ? 'green' : v === 'absent' || v === 'not_reached' ? 'red' : 'default'}>
          {t(`records.checkin.outcomes.${v}`, { defaultValue: v })}
        </Tag>
      ),
    },
    { title: t('records.checkin.fields.note'), dataIndex: 'note', key: 'note' },
  ];
  return (
    <RecordTab<'checkins', CheckinValues>
      personId={personId}
      kind="checkins"
      testId="checkin"
      addLabel={t('records.checkin.add')}
      columns={columns}
      Fields={CheckinFields}
      readOnly={readOnly}
      initialValues={() => ({ on: todayInput() })}
      knownFields={['on', 'kind', 'outcome', 'note']}
      toBody={(v) => ({ on: isoOrUndefined(v.on)!, kind: v.kind, outcome: v.outcome, note: textOrUndefined(v.note) })}
    />
  );
}

// ---------------------------------------------------------------- movements

interface MovementValues {
  kind: MovementKind;
  on: string;
  destination_unit_code?: string;
  destination_address?: string;
  note?: string;
}

function MovementFields() {
  const { t } = useTranslation();
  const form = Form.useFormInstance<MovementValues>();
  const kind = Form.useWatch('kind', form);
  return (
    <>
      <Form.Item name="kind" label={t('records.movement.fields.kind')} rules={required(t('records.errors.required'))}>
        <Radio.Group>
          {MOVEMENT_KINDS.map((k) => (
            <Radio key={k} value={k} data-testid={`movement-kind-${k}`}>
              {t(`records.movement.kinds.${k}`)}
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
      <DateField name="on" label={t('records.movement.fields.on')} testId="movement-date" />
      {(kind === 'moved' || kind === 'absent') && (
        <Form.Item
          name="destination_unit_code"
          label={t('records.movement.fields.destination')}
          rules={kind === 'moved' ? required(t('records.movement.destinationRequired')) : []}
        >
          <UnitSelect level="commune" testId="movement-destination" />
        </Form.Item>
      )}
      {kind === 'moved' && (
        <Form.Item name="destination_address" label={t('records.movement.fields.destination_address')}>
          <Input data-testid="movement-destination-address" maxLength={300} />
        </Form.Item>
      )}
      <NoteField testId="movement-note" />
    </>
  );
}

export function MovementsTab({ personId, readOnly }: TabProps) {
  const { t } = useTranslation();
  const columns: TableColumnsType<Movement> = [
    { title: t('records.movement.fields.on'), dataIndex: 'on', key: 'on', width: 120, render: (v: string) => formatDate(v) },
    { title: t('records.movement.fields.kind'), dataIndex: 'kind', key: 'kind', render: (v: MovementKind) => t(`records.movement.kinds.${v}`, { defaultValue: v }) },
    {
      title: t('records.movement.fields.destination'),
      key: 'destination',
      render: (_, m) => <UnitName code={m.destination_unit_code} withCode />,
    },
    {
      title: t('records.movement.fields.acknowledged'),
      key: 'acknowledged',
      render: (_, m) =>
        m.kind !== 'moved' ? null : m.acknowledged_at ? (
          <Tag color="green">{t('records.movement.acknowledgedOn', { date: formatDateTime(m.acknowledged_at) })}</Tag>
        ) : (
          <Tag color={m.overdue ? 'red' : 'gold'}>{t('records.movement.awaiting')}</Tag>
        ),
    },
    { title: t('records.movement.fields.note'), dataIndex: 'note', key: 'note' },
  ];
  return (
    <RecordTab<'movements', MovementValues>
      personId={personId}
      kind="movements"
      testId="movement"
      addLabel={t('records.movement.add')}
      columns={columns}
      Fields={MovementFields}
      readOnly={readOnly}
      initialValues={() => ({ on: todayInput() })}
      knownFields={['kind', 'on', 'destination_unit_code', 'destination_address', 'note']}
      toBody={(v) => ({
        kind: v.kind,
        on: isoOrUndefined(v.on)!,
        destination_unit_code: v.kind === 'returned' ? undefined : v.destination_unit_code || undefined,
        destination_address: v.kind === 'moved' ? textOrUndefined(v.destination_address) : undefined,
        note: textOrUndefined(v.note),
      })}
    />
  );
}
