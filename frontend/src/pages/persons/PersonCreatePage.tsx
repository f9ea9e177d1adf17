import { ArrowLeftOutlined, ExportOutlined } from '@ant-design/icons';
import { App, Alert, Button, Card, Form, List, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { isApiError, localizedTitle } from '../../api/problem';
import type { PersonCreate } from '../../api/types';
import { useErrorMessage } from '../../components/ErrorAlert';
import { applyServerErrors } from '../../features/forms/serverErrors';
import { duplicateNationalIdOwner, possibleDuplicate, type PossibleDuplicate } from '../../features/persons/duplicates';
import { PERSON_FORM_FIELDS, toPersonCreate, type PersonFormValues } from '../../features/persons/form';
import { useCreatePerson } from '../../features/persons/hooks';
import { PersonFormFields } from '../../features/persons/PersonFormFields';
import { formatDate } from '../../lib/dates';

export default function PersonCreatePage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const describe = useErrorMessage();
  const [form] = Form.useForm<PersonFormValues>();
  const create = useCreatePerson();
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const [existingId, setExistingId] = useState<string | null>(null);
  /** A 409 possible-duplicate: the candidates and the body to re-post with confirm_new. */
  const [duplicate, setDuplicate] = useState<(PossibleDuplicate & { body: PersonCreate }) | null>(null);

  const submit = async (body: PersonCreate, confirmNew: boolean) => {
    setFormErrors([]);
    setExistingId(null);
    try {
      const person = await create.mutateAsync({ body, confirmNew });
      setDuplicate(null);
      void message.success(t('personForm.created', { name: person.full_name }));
      for (const w of person.warnings ?? []) void message.warning(localizedTitle(w.message, i18n.language));
      navigate('/persons', { state: { created: person } });
    } catch (e) {
      const dup = isApiError(e) ? possibleDuplicate(e.problem) : null;
      if (dup) {
        setDuplicate({ ...dup, body });
        return;
      }
      setDuplicate(null);
      if (isApiError(e)) setExistingId(duplicateNationalIdOwner(e.problem));
      setFormErrors(applyServerErrors(form, e, PERSON_FORM_FIELDS, i18n.language, describe));
    }
  };

  const onFinish = (values: PersonFormValues) => submit(toPersonCreate(values), false);

  const born = (c: PossibleDuplicate['candidates'][number]) =>
    c.date_of_birth ? formatDate(c.date_of_birth) : c.birth_year ? String(c.birth_year) : t('common.none');

  return (
    <Card
      title={
        <Space>
          <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/persons')} aria-label={t('common.back')} />
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('personForm.title')}
          </Typography.Title>
        </Space>
      }
    >
      {formErrors.length > 0 && (
        <div data-testid="person-form-error" style={{ marginBottom: 16 }}>
          <Alert
            type="error"
            showIcon
            message={formErrors.length === 1 ? formErrors[0] : t('personForm.fixErrors')}
            description={
              <>
                {formErrors.length > 1 && <div>{formErrors.join('; ')}</div>}
                {existingId && (
                  <Link to={`/persons/${encodeURIComponent(existingId)}`} target="_blank" data-testid="person-existing-id">
                    {t('personForm.existingId')} <ExportOutlined />
                  </Link>
                )}
              </>
            }
          />
        </div>
      )}
      <Form<PersonFormValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        onValuesChange={() => duplicate && setDuplicate(null)}
        scrollToFirstError
        style={{ maxWidth: 820 }}
        initialValues={{ current_differs: false, birth_year_only: false }}
      >
        <PersonFormFields />
        {duplicate && (
          <div data-testid="person-duplicate" style={{ marginBottom: 16 }}>
            <Alert
              type="warning"
              showIcon
              message={t('personForm.duplicate.title')}
              description={
                <>
                  <Typography.Paragraph style={{ marginBottom: 8 }}>{t('personForm.duplicate.description')}</Typography.Paragraph>
                  {duplicate.candidates.length > 0 && (
                    <List
                      size="small"
                      bordered
                      style={{ background: '#fff', marginBottom: 8 }}
                      dataSource={duplicate.candidates}
                      renderItem={(c) => (
                        <List.Item
                          data-testid="person-duplicate-candidate"
                          actions={[
                            <Link key="open" to={`/persons/${encodeURIComponent(c.id)}`} target="_blank" data-testid="person-duplicate-open">
                              {t('common.open')} <ExportOutlined />
                            </Link>,
                          ]}
                        >
                          <Space wrap>
                            <Typography.Text strong>{c.full_name}</Typography.Text>
                            <Typography.Text type="secondary">{t('personForm.duplicate.born', { value: born(c) })}</Typography.Text>
                            <Typography.Text type="secondary">{t('personForm.duplicate.unit', { code: c.residence_unit_code })}</Typography.Text>
                          </Space>
                        </List.Item>
                      )}
                    />
                  )}
                  {duplicate.hidden > 0 && (
                    <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                      {duplicate.candidates.length > 0
                        ? t('personForm.duplicate.hidden', { count: duplicate.hidden })
                        : t('personForm.duplicate.onlyHidden')}
                    </Typography.Paragraph>
                  )}
                  <Button data-testid="person-confirm-new" danger loading={create.isPending} onClick={() => void submit(duplicate.body, true)}>
                    {t('personForm.duplicate.confirm')}
                  </Button>
                </>
              }
            />
          </div>
        )}
        <Space>
          <Button data-testid="person-submit" type="primary" htmlType="submit" loading={create.isPending && !duplicate}>
            {t('personForm.submit')}
          </Button>
          <Button onClick={() => navigate('/persons')}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
