import { Alert, App, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VersionedPerson } from '../../../api/endpoints';
import { isApiError } from '../../../api/problem';
import { useErrorMessage } from '../../../components/ErrorAlert';
import { isoOrUndefined, todayInput, useDateRules } from '../../../features/forms/dateRules';
import { applyServerErrors } from '../../../features/forms/serverErrors';
import { useClosePerson } from '../../../features/persons/hooks';
import { ConflictAlert } from './EditDrawer';

interface CloseValues {
  on: string;
  reason: string;
}

/** Soft close with a date and a reason (If-Match); 412 → reload offer. */
export function CloseModal({
  open,
  onClose,
  versioned,
  reload,
}: {
  open: boolean;
  onClose: () => void;
  versioned: VersionedPerson;
  reload: () => Promise<VersionedPerson | undefined>;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const describe = useErrorMessage();
  const [form] = Form.useForm<CloseValues>();
  const close = useClosePerson(versioned.person.id);
  const dateRules = useDateRules();
  const [errors, setErrors] = useState<string[]>([]);
  const [conflict, setConflict] = useState(false);
  const [reloading, setReloading] = useState(false);

  const onFinish = async (values: CloseValues) => {
    setErrors([]);
    try {
      await close.mutateAsync({ etag: versioned.etag, body: { on: isoOrUndefined(values.on)!, reason: values.reason.trim() } });
      void message.success(t('personDetail.closedMessage'));
      onClose();
    } catch (e) {
      if (isApiError(e) && e.status === 412) {
        setConflict(true);
        return;
      }
      setErrors(applyServerErrors(form, e, ['on', 'reason'], i18n.language, describe));
    }
  };

  const onReload = async () => {
    setReloading(true);
    try {
      await reload();
      setConflict(false);
    } finally {
      setReloading(false);
    }
  };

  return (
    <Modal
      open={open}
      onCancel={onClose}
      title={t('personDetail.closeTitle')}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button data-testid="person-close-submit" danger type="primary" loading={close.isPending} disabled={conflict} onClick={() => form.submit()}>
            {t('personDetail.close')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('personDetail.closeHint')}</Typography.Paragraph>
      {conflict && <ConflictAlert onReload={() => void onReload()} reloading={reloading} />}
      {errors.length > 0 && (
        <div data-testid="person-close-error" style={{ marginBottom: 16 }}>
          <Alert type="error" showIcon message={errors.join('; ')} />
        </div>
      )}
      <Form<CloseValues> form={form} layout="vertical" onFinish={onFinish} initialValues={{ on: todayInput(), reason: '' }}>
        <Form.Item name="on" label={t('personDetail.closeOn')} rules={dateRules}>
          <Input data-testid="person-close-on" placeholder="dd/mm/yyyy" maxLength={10} style={{ maxWidth: 200 }} />
        </Form.Item>
        <Form.Item name="reason" label={t('personDetail.closeReason')} rules={[{ required: true, whitespace: true, message: t('personDetail.closeReasonRequired') }]}>
          <Input.TextArea data-testid="person-close-reason" rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
