import { Alert, App as AntApp, Form, Input, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Episode, EpisodeAction, Outcome } from '../../api/types';
import { useErrorMessage } from '../../components/ErrorAlert';
import { isoOrUndefined, textOrUndefined, todayInput, useDateRules } from '../forms/dateRules';
import { todayIso } from '../../lib/dates';
import { useAllFacilities, useEpisodeAct } from './hooks';
import { splitProblem } from './problemFields';
import { dischargeReasons, isBackdated } from './rules';

interface Values {
  on: string;
  backdate_reason?: string;
  note?: string;
  reason?: Outcome;
  facility_id?: string;
  capacity_override_reason?: string;
}

const FIELDS = ['on', 'backdate_reason', 'note', 'reason', 'facility_id', 'capacity_override_reason'];

/** One transition: the date it happened, a reason when that date is before today. */
export function ActionDialog({ episode, action, onClose }: { episode: Episode; action: EpisodeAction; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const describe = useErrorMessage();
  const [form] = Form.useForm<Values>();
  const act = useEpisodeAct(episode.id);
  const [lines, setLines] = useState<string[]>([]);
  const facilities = useAllFacilities();
  const dateRules = useDateRules();
  const on = Form.useWatch('on', form);
  const backdated = isBackdated(isoOrUndefined(on), todayIso());
  const label = (field: string) => (FIELDS.includes(field) ? t(`treatment.fields.${field as 'on'}`) : field);

  const submit = async (values: Values) => {
    setLines([]);
    const base = { on: isoOrUndefined(values.on)!, backdate_reason: backdated ? textOrUndefined(values.backdate_reason) : undefined, note: textOrUndefined(values.note) };
    try {
      if (action === 'admit') await act.mutateAsync({ action, body: { ...base, capacity_override_reason: textOrUndefined(values.capacity_override_reason) } });
      else if (action === 'discharge') await act.mutateAsync({ action, body: { ...base, reason: values.reason! } });
      else if (action === 'transfer') await act.mutateAsync({ action, body: { ...base, facility_id: values.facility_id! } });
      else await act.mutateAsync({ action, body: base });
      void message.success(t('treatment.episode.done', { action: t(`treatment.actions.${action}`) }));
      onClose();
    } catch (error) {
      const split = splitProblem(error, FIELDS, i18n.language, label);
      form.setFields(split.fields.map((f) => ({ name: f.name as never, errors: f.errors })));
      setLines(split.lines.length || split.fields.length ? split.lines : [describe(error)]);
    }
  };

  return (
    <Modal
      open
      title={t(`treatment.actions.${action}`)}
      okText={t(`treatment.actions.${action}`)}
      okButtonProps={{ 'data-testid': 'action-ok', loading: act.isPending } as never}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {lines.length > 0 && (
        <Alert type="error" showIcon data-testid="action-error" style={{ marginBottom: 12 }} message={lines.map((l) => <div key={l}>{l}</div>)} />
      )}
      <Form form={form} layout="vertical" initialValues={{ on: todayInput() }} onFinish={(v) => void submit(v)}>
        <Form.Item name="on" label={t('treatment.fields.on')} rules={dateRules}>
          <Input data-testid="action-on" placeholder="dd/mm/yyyy" autoFocus inputMode="numeric" />
        </Form.Item>
        {backdated && (
          <Form.Item
            name="backdate_reason"
            label={t('treatment.fields.backdate_reason')}
            extra={t('treatment.episode.backdateHint')}
            rules={[{ required: true, whitespace: true, message: t('treatment.episode.reasonRequired') }]}
          >
            <Input.TextArea data-testid="action-backdate-reason" rows={2} maxLength={1000} />
          </Form.Item>
        )}
        {action === 'discharge' && (
          <Form.Item name="reason" label={t('treatment.fields.reason')} rules={[{ required: true, message: t('treatment.episode.reasonRequired') }]}>
            <Select
              data-testid="action-reason"
              options={dischargeReasons(episode.modality, episode.state).map((o) => ({ value: o, label: t(`treatment.outcomes.${o}`) }))}
            />
          </Form.Item>
        )}
        {action === 'transfer' && (
          <Form.Item name="facility_id" label={t('treatment.fields.facility_id')} rules={[{ required: true, message: t('treatment.episode.facilityRequired') }]}>
            <Select
              data-testid="action-facility"
              showSearch
              optionFilterProp="label"
              options={(facilities.data ?? []).filter((f) => f.id !== episode.facility_id).map((f) => ({ value: f.id, label: f.name }))}
            />
          </Form.Item>
        )}
        {action === 'admit' && (
          <Form.Item name="capacity_override_reason" label={t('treatment.fields.capacity_override_reason')} extra={t('treatment.episode.overrideHint')}>
            <Input data-testid="action-override-reason" maxLength={1000} />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('treatment.fields.note')}>
          <Input data-testid="action-note" maxLength={1000} />
        </Form.Item>
        <Typography.Text type="secondary">{t(`treatment.states.${episode.state}`)}</Typography.Text>
      </Form>
    </Modal>
  );
}
