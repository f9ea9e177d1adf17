import { ArrowLeftOutlined } from '@ant-design/icons';
import { App, Alert, Button, Card, Checkbox, Col, Form, Input, Radio, Row, Space, Typography } from 'antd';
import type { Rule } from 'antd/es/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { isApiError, localizedTitle, problemToFieldErrors } from '../../api/problem';
import { PERSON_CATEGORIES, SEXES } from '../../api/types';
import { useErrorMessage } from '../../components/ErrorAlert';
import { NATIONAL_ID_PATTERN, PERSON_FORM_FIELDS, toPersonCreate, type PersonFormValues } from '../../features/persons/form';
import { useCreatePerson } from '../../features/persons/hooks';
import { useEnumLabels } from '../../features/persons/labels';
import { UnitSelect } from '../../features/units/UnitSelect';
import { parseDateInput, todayIso } from '../../lib/dates';

export default function PersonCreatePage() {
  const { t, i18n } = useTranslation();
  const labels = useEnumLabels();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const describe = useErrorMessage();
  const [form] = Form.useForm<PersonFormValues>();
  const currentDiffers = Form.useWatch('current_differs', form);
  const create = useCreatePerson();
  const [formErrors, setFormErrors] = useState<string[]>([]);

  const required = (message: string): Rule => ({ required: true, whitespace: true, message });

  const dobRule: Rule = {
    validator: async (_, value?: string) => {
      if (!value?.trim()) return;
      const iso = parseDateInput(value);
      if (!iso) throw new Error(t('personForm.errors.dobFormat'));
      if (iso > todayIso()) throw new Error(t('personForm.errors.dobFuture'));
      if (iso < '1900-01-01') throw new Error(t('personForm.errors.dobTooOld'));
    },
  };

  const onFinish = async (values: PersonFormValues) => {
    setFormErrors([]);
    try {
      const person = await create.mutateAsync(toPersonCreate(values));
      void message.success(t('personForm.created', { name: person.full_name }));
      navigate('/persons', { state: { created: person } });
    } catch (e) {
      if (isApiError(e) && e.problem?.errors?.length) {
        const mapped = problemToFieldErrors(e.problem, PERSON_FORM_FIELDS, i18n.language);
        form.setFields(mapped.fields.map((f) => ({ name: f.name as never, errors: f.errors })));
        const title = localizedTitle(e.problem.title, i18n.language);
        setFormErrors(mapped.unmatched.length ? mapped.unmatched : title ? [title] : []);
      } else {
        setFormErrors([describe(e)]);
      }
    }
  };

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
          <Alert type="error" showIcon message={formErrors.length === 1 ? formErrors[0] : t('personForm.fixErrors')} description={formErrors.length > 1 ? formErrors.join('; ') : undefined} />
        </div>
      )}
      <Form<PersonFormValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        scrollToFirstError
        style={{ maxWidth: 820 }}
        initialValues={{ current_differs: false }}
      >
        <Row gutter={16}>
          <Col xs={24} md={16}>
            <Form.Item name="full_name" label={t('person.fields.full_name')} rules={[required(t('personForm.errors.fullNameRequired'))]}>
              <Input data-testid="person-full-name" autoComplete="off" maxLength={200} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name="date_of_birth"
              label={t('person.fields.date_of_birth')}
              rules={[required(t('personForm.errors.dobRequired')), dobRule]}
              extra={t('personForm.dobHint')}
            >
              <Input data-testid="person-dob" placeholder="dd/mm/yyyy" autoComplete="off" inputMode="numeric" maxLength={10} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="sex" label={t('person.fields.sex')} rules={[{ required: true, message: t('personForm.errors.sexRequired') }]}>
              <Radio.Group data-testid="person-sex">
                {SEXES.map((s) => (
                  <Radio key={s} value={s} data-testid={`person-sex-${s}`}>
                    {labels.sex(s)}
                  </Radio>
                ))}
              </Radio.Group>
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item
              name="national_id"
              label={t('person.fields.national_id')}
              rules={[{ pattern: NATIONAL_ID_PATTERN, message: t('personForm.errors.nationalIdFormat') }]}
            >
              <Input data-testid="person-national-id" inputMode="numeric" maxLength={12} autoComplete="off" placeholder={t('personForm.nationalIdHint')} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>{t('person.fields.residence')}</Typography.Title>
        <Row gutter={16}>
          <Col xs={24} md={10}>
            <Form.Item name={['residence', 'unit_code']} label={t('person.fields.unit')} rules={[{ required: true, message: t('personForm.errors.unitRequired') }]}>
              <UnitSelect level="commune" testId="person-unit" placeholder={t('personForm.unitPlaceholder')} />
            </Form.Item>
          </Col>
          <Col xs={24} md={14}>
            <Form.Item name={['residence', 'address']} label={t('person.fields.address')} rules={[required(t('personForm.errors.addressRequired'))]}>
              <Input data-testid="person-address" autoComplete="off" maxLength={500} placeholder={t('personForm.addressPlaceholder')} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="current_differs" valuePropName="checked">
          <Checkbox data-testid="person-current-differs">{t('personForm.currentDiffers')}</Checkbox>
        </Form.Item>
        {currentDiffers && (
          <Row gutter={16}>
            <Col xs={24} md={10}>
              <Form.Item
                name={['current_residence', 'unit_code']}
                label={t('person.fields.currentUnit')}
                rules={[{ required: true, message: t('personForm.errors.unitRequired') }]}
              >
                <UnitSelect level="commune" testId="person-current-unit" placeholder={t('personForm.unitPlaceholder')} />
              </Form.Item>
            </Col>
            <Col xs={24} md={14}>
              <Form.Item
                name={['current_residence', 'address']}
                label={t('person.fields.currentAddress')}
                rules={[required(t('personForm.errors.addressRequired'))]}
              >
                <Input data-testid="person-current-address" autoComplete="off" maxLength={500} placeholder={t('personForm.addressPlaceholder')} />
              </Form.Item>
            </Col>
          </Row>
        )}
        <Form.Item name="category" label={t('person.fields.category')} rules={[{ required: true, message: t('personForm.errors.categoryRequired') }]}>
          <Radio.Group data-testid="person-category">
            <Space direction="vertical">
              {PERSON_CATEGORIES.map((c) => (
                <Radio key={c} value={c} data-testid={`person-category-${c}`}>
                  {labels.category(c)}
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        <Space>
          <Button data-testid="person-submit" type="primary" htmlType="submit" loading={create.isPending}>
            {t('personForm.submit')}
          </Button>
          <Button onClick={() => navigate('/persons')}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
