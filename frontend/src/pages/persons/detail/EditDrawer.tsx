import { Alert, App, Button, Drawer, Form, Space } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VersionedPerson } from '../../../api/endpoints';
import { isApiError, localizedTitle } from '../../../api/problem';
import { useErrorMessage } from '../../../components/ErrorAlert';
import { applyServerErrors } from '../../../features/forms/serverErrors';
import { PERSON_FORM_FIELDS, personToFormValues, toPersonPatch, type PersonFormValues } from '../../../features/persons/form';
import { usePatchPerson } from '../../../features/persons/hooks';
import { PersonFormFields } from '../../../features/persons/PersonFormFields';

/** "Someone changed it meanwhile": explains and offers to load the latest version. */
export function ConflictAlert({ onReload, reloading }: { onReload: () => void; reloading: boolean }) {
  const { t } = useTranslation();
  return (
    <div data-testid="person-conflict" style={{ marginBottom: 16 }}>
      <Alert
        type="warning"
        showIcon
        message={t('personDetail.conflictTitle')}
        description={t('personDetail.conflictBody')}
        action={
          <Button data-testid="person-conflict-reload" size="small" loading={reloading} onClick={onReload}>
            {t('personDetail.reload')}
          </Button>
        }
      />
    </div>
  );
}

/** Edit form in a drawer: PATCH with If-Match, only the changed fields; 412 → reload offer. */
export function EditDrawer({
  open,
  onClose,
  versioned,
  reload,
}: {
  open: boolean;
  onClose: () => void;
  versioned: VersionedPerson;
  /** Refetches the file; resolves with the latest version. */
  reload: () => Promise<VersionedPerson | undefined>;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const describe = useErrorMessage();
  const [form] = Form.useForm<PersonFormValues>();
  const patch = usePatchPerson(versioned.person.id);
  const [errors, setErrors] = useState<string[]>([]);
  const [conflict, setConflict] = useState(false);
  const [reloading, setReloading] = useState(false);
  /** The version the form was filled from: its values are the "before" of the diff, its ETag the If-Match. */
  const [base, setBase] = useState<VersionedPerson>(versioned);
  const initial = useMemo(() => personToFormValues(base.person), [base]);

  useEffect(() => {
    if (open) {
      setBase(versioned);
      setErrors([]);
      setConflict(false);
      form.setFieldsValue(personToFormValues(versioned.person));
    }
    // Only when the drawer opens: a background refetch must not wipe the officer's edits.
  }, [open]);

  const onFinish = async (values: PersonFormValues) => {
    setErrors([]);
    const body = toPersonPatch(initial, values);
    if (Object.keys(body).length === 0) {
      void message.info(t('personDetail.noChanges'));
      onClose();
      return;
    }
    try {
      const saved = await patch.mutateAsync({ etag: base.etag, body });
      void message.success(t('personDetail.saved'));
      for (const w of saved.person.warnings ?? []) void message.warning(localizedTitle(w.message, i18n.language));
      onClose();
    } catch (e) {
      if (isApiError(e) && e.status === 412) {
        setConflict(true);
        return;
      }
      setErrors(applyServerErrors(form, e, PERSON_FORM_FIELDS, i18n.language, describe));
    }
  };

  const onReload = async () => {
    setReloading(true);
    try {
      const latest = await reload();
      if (latest) {
        setBase(latest);
        form.resetFields();
        form.setFieldsValue(personToFormValues(latest.person));
        setConflict(false);
        setErrors([]);
      }
    } catch (e) {
      setErrors([describe(e)]);
    } finally {
      setReloading(false);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('personDetail.editTitle')}
      width={880}
      forceRender
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button data-testid="person-edit-submit" type="primary" loading={patch.isPending} disabled={conflict} onClick={() => form.submit()}>
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {conflict && <ConflictAlert onReload={() => void onReload()} reloading={reloading} />}
      {errors.length > 0 && (
        <div data-testid="person-edit-error" style={{ marginBottom: 16 }}>
          <Alert type="error" showIcon message={errors.length === 1 ? errors[0] : t('personForm.fixErrors')} description={errors.length > 1 ? errors.join('; ') : undefined} />
        </div>
      )}
      <Form<PersonFormValues> form={form} layout="vertical" onFinish={onFinish} scrollToFirstError initialValues={initial} data-testid="person-edit-form">
        <PersonFormFields />
      </Form>
    </Drawer>
  );
}
