import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { MODALITIES, type MinorCase, type Modality } from '../../api/types';
import { useErrorMessage } from '../../components/ErrorAlert';
import { isoOrUndefined, textOrUndefined, todayInput, useDateRules } from '../forms/dateRules';
import { useAllFacilities, useCreateEpisode } from './hooks';
import { EpisodePerson } from './labels';
import { splitProblem } from './problemFields';
import { decisionRequired, facilityRequired, minorCaseApplies } from './rules';

interface Values {
  person_id: string;
  modality?: Modality;
  facility_id?: string;
  start_date: string;
  decision_number?: string;
  decision_date?: string;
  planned_end_date?: string;
  minor_case?: MinorCase;
}

const FIELDS = ['person_id', 'modality', 'facility_id', 'start_date', 'decision_number', 'decision_date', 'planned_end_date', 'minor_case'];
const MINOR_CASES: MinorCase[] = ['no_voluntary_rehab', 'used_during_voluntary', 'substitution_failed'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Registers an episode for a person (opened from the person page with person_id filled). */
export default function AdmissionPage() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const describe = useErrorMessage();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const create = useCreateEpisode();
  const facilities = useAllFacilities();
  const [lines, setLines] = useState<string[]>([]);
  const modality = Form.useWatch('modality', form);
  const personId = Form.useWatch('person_id', form);
  const required = useDateRules();
  const optional = useDateRules({ required: false, notFuture: false });
  const needsDecision = decisionRequired(modality);
  const label = (f: string) => (FIELDS.includes(f) ? t(`treatment.fields.${f as 'modality'}`) : f);

  const submit = async (v: Values) => {
    setLines([]);
    try {
      const episode = await create.mutateAsync({
        person_id: v.person_id.trim(),
        modality: v.modality!,
        facility_id: v.facility_id || undefined,
        start_date: isoOrUndefined(v.start_date)!,
        ...(needsDecision ? { decision_number: textOrUndefined(v.decision_number), decision_date: isoOrUndefined(v.decision_date) } : {}),
        planned_end_date: isoOrUndefined(v.planned_end_date),
        ...(minorCaseApplies(v.modality) && v.minor_case ? { minor_case: v.minor_case } : {}),
      });
      void message.success(t('treatment.admission.created'));
      navigate(`/episodes/${episode.id}`, { replace: true });
    } catch (error) {
      const split = splitProblem(error, FIELDS, i18n.language, label);
      form.setFields(split.fields.map((f) => ({ name: f.name as never, errors: f.errors })));
      setLines(split.lines.length || split.fields.length ? split.lines : [describe(error)]);
    }
  };

  return (
    <Card
      title={
        <Space>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} aria-label={t('common.back')} />
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('treatment.admission.title')}
          </Typography.Title>
        </Space>
      }
    >
      {lines.length > 0 && (
        <Alert type="error" showIcon data-testid="admission-error" style={{ marginBottom: 12 }} message={lines.map((l) => <div key={l}>{l}</div>)} />
      )}
      <Form
        form={form}
        layout="vertical"
        style={{ maxWidth: 560 }}
        initialValues={{ person_id: params.get('person_id') ?? '', facility_id: params.get('facility_id') ?? undefined, start_date: todayInput() }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item
          name="person_id"
          label={t('treatment.fields.person_id')}
          rules={[{ required: true, pattern: UUID, message: t('treatment.admission.personRequired') }]}
          extra={personId && UUID.test(personId) ? <EpisodePerson personId={personId} /> : undefined}
        >
          <Input data-testid="admission-person" />
        </Form.Item>
        <Form.Item name="modality" label={t('treatment.fields.modality')} rules={[{ required: true, message: t('treatment.admission.modalityRequired') }]}>
          <Select data-testid="admission-modality" options={MODALITIES.map((m) => ({ value: m, label: t(`facilities.modalities.${m}`) }))} />
        </Form.Item>
        <Form.Item
          name="facility_id"
          label={t('treatment.fields.facility_id')}
          rules={[{ required: facilityRequired(modality), message: t('treatment.episode.facilityRequired') }]}
        >
          <Select
            data-testid="admission-facility"
            allowClear
            showSearch
            optionFilterProp="label"
            options={(facilities.data ?? []).map((f) => ({ value: f.id, label: f.name }))}
          />
        </Form.Item>
        <Form.Item name="start_date" label={t('treatment.fields.start_date')} rules={required}>
          <Input data-testid="admission-start" placeholder="dd/mm/yyyy" inputMode="numeric" />
        </Form.Item>
        {needsDecision && (
          <>
            <Form.Item
              name="decision_number"
              label={t('treatment.fields.decision_number')}
              rules={[{ required: true, whitespace: true, message: t('treatment.admission.decisionRequired') }]}
            >
              <Input data-testid="admission-decision-number" maxLength={100} />
            </Form.Item>
            <Form.Item name="decision_date" label={t('treatment.fields.decision_date')} rules={required}>
              <Input data-testid="admission-decision-date" placeholder="dd/mm/yyyy" inputMode="numeric" />
            </Form.Item>
          </>
        )}
        <Form.Item name="planned_end_date" label={t('treatment.fields.planned_end_date')} rules={optional}>
          <Input data-testid="admission-planned-end" placeholder="dd/mm/yyyy" inputMode="numeric" />
        </Form.Item>
        {minorCaseApplies(modality) && (
          <Form.Item name="minor_case" label={t('treatment.fields.minor_case')}>
            <Select allowClear options={MINOR_CASES.map((c) => ({ value: c, label: t(`treatment.minorCases.${c}`) }))} />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" data-testid="admission-submit" loading={create.isPending}>
          {t('treatment.admission.submit')}
        </Button>
      </Form>
    </Card>
  );
}
