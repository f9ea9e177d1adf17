import { Checkbox, Col, Form, Input, Radio, Row, Select, Space, Typography } from 'antd';
import type { Rule } from 'antd/es/form';
import { useTranslation } from 'react-i18next';
import { PERSON_CATEGORIES, SEXES } from '../../api/types';
import { parseDateInput, todayIso } from '../../lib/dates';
import { useDateRules } from '../forms/dateRules';
import { UnitSelect } from '../units/UnitSelect';
import { NATIONAL_ID_PATTERN, normalizePhone, PHONE_PATTERN, type PersonFormValues } from './form';
import { useEnumLabels } from './labels';

/**
 * The person form's fields (create page and edit drawer). Lives inside an antd <Form> whose
 * values are PersonFormValues.
 */
export function PersonFormFields() {
  const { t } = useTranslation();
  const labels = useEnumLabels();
  const form = Form.useFormInstance<PersonFormValues>();
  const birthYearOnly = Form.useWatch('birth_year_only', form);
  const currentDiffers = Form.useWatch('current_differs', form);
  const category = Form.useWatch('category', form);
  const familyName = Form.useWatch(['family_contact', 'full_name'], form);
  const decisionRules = useDateRules({ required: false });

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
  const birthYearRule: Rule = {
    validator: async (_, value?: string | number | null) => {
      const text = String(value ?? '').trim();
      if (!text) return;
      const year = Number(text);
      if (!/^\d{4}$/.test(text) || year < 1900 || year > Number(todayIso().slice(0, 4))) {
        throw new Error(t('personForm.errors.birthYearRange'));
      }
    },
  };
  const phoneRule: Rule = {
    validator: async (_, value?: string) => {
      const phone = normalizePhone(value);
      if (phone && !PHONE_PATTERN.test(phone)) throw new Error(t('personForm.errors.phoneFormat'));
    },
  };

  return (
    <>
      <Row gutter={16}>
        <Col xs={24} md={16}>
          <Form.Item name="full_name" label={t('person.fields.full_name')} rules={[required(t('personForm.errors.fullNameRequired'))]}>
            <Input data-testid="person-full-name" autoComplete="off" maxLength={200} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          {birthYearOnly ? (
            <Form.Item
              name="birth_year"
              label={t('person.fields.birth_year')}
              rules={[{ required: true, message: t('personForm.errors.birthYearRequired') }, birthYearRule]}
              extra={t('personForm.birthYearHint')}
            >
              <Input data-testid="person-birth-year" inputMode="numeric" maxLength={4} autoComplete="off" placeholder="yyyy" />
            </Form.Item>
          ) : (
            <Form.Item
              name="date_of_birth"
              label={t('person.fields.date_of_birth')}
              rules={[required(t('personForm.errors.dobRequired')), dobRule]}
              extra={t('personForm.dobHint')}
            >
              <Input data-testid="person-dob" placeholder="dd/mm/yyyy" autoComplete="off" inputMode="numeric" maxLength={10} />
            </Form.Item>
          )}
          <Form.Item name="birth_year_only" valuePropName="checked" style={{ marginTop: -12 }}>
            <Checkbox data-testid="person-birth-year-only">{t('personForm.birthYearOnly')}</Checkbox>
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
          <Form.Item name="other_names" label={t('person.fields.other_names')}>
            <Select
              data-testid="person-other-names"
              mode="tags"
              open={false}
              suffixIcon={null}
              tokenSeparators={[',', ';']}
              placeholder={t('personForm.otherNamesPlaceholder')}
              maxCount={5}
            />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item
            name="national_id"
            label={t('person.fields.national_id')}
            rules={[{ pattern: NATIONAL_ID_PATTERN, message: t('personForm.errors.nationalIdFormat') }]}
          >
            <Input data-testid="person-national-id" inputMode="numeric" maxLength={12} autoComplete="off" placeholder={t('personForm.nationalIdHint')} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="phone" label={t('person.fields.phone')} rules={[phoneRule]}>
            <Input data-testid="person-phone" inputMode="tel" maxLength={20} autoComplete="off" placeholder={t('personForm.phonePlaceholder')} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name="ethnicity" label={t('person.fields.ethnicity')}>
            <Input data-testid="person-ethnicity" maxLength={100} autoComplete="off" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item name="education" label={t('person.fields.education')}>
            <Input data-testid="person-education" maxLength={100} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="occupation" label={t('person.fields.occupation')}>
            <Input data-testid="person-occupation" maxLength={100} autoComplete="off" />
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
            <Input data-testid="person-address" autoComplete="off" maxLength={300} placeholder={t('personForm.addressPlaceholder')} />
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
              <Input data-testid="person-current-address" autoComplete="off" maxLength={300} placeholder={t('personForm.addressPlaceholder')} />
            </Form.Item>
          </Col>
        </Row>
      )}

      <Typography.Title level={5}>{t('personForm.familyContact')}</Typography.Title>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Form.Item name={['family_contact', 'full_name']} label={t('person.fields.family_name')}>
            <Input data-testid="person-family-name" autoComplete="off" maxLength={200} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item
            name={['family_contact', 'relationship']}
            label={t('person.fields.family_relationship')}
            dependencies={[['family_contact', 'full_name']]}
            rules={familyName?.trim() ? [required(t('personForm.errors.familyRelationshipRequired'))] : []}
          >
            <Input data-testid="person-family-relationship" autoComplete="off" maxLength={100} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8}>
          <Form.Item name={['family_contact', 'phone']} label={t('person.fields.family_phone')} rules={[phoneRule]}>
            <Input data-testid="person-family-phone" inputMode="tel" autoComplete="off" maxLength={20} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name={['family_contact', 'address']} label={t('person.fields.family_address')}>
        <Input data-testid="person-family-address" autoComplete="off" maxLength={300} />
      </Form.Item>

      <Typography.Title level={5}>{t('personForm.management')}</Typography.Title>
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
      {category === 'illegal_user' && (
        <Form.Item
          name="management_decision_date"
          label={t('person.fields.management_decision_date')}
          rules={decisionRules}
          extra={t('personForm.managementDecisionHint')}
        >
          <Input data-testid="person-management-decision-date" placeholder="dd/mm/yyyy" autoComplete="off" inputMode="numeric" maxLength={10} style={{ maxWidth: 220 }} />
        </Form.Item>
      )}
      <Form.Item name="notes" label={t('person.fields.notes')}>
        <Input.TextArea data-testid="person-notes" rows={3} maxLength={2000} showCount placeholder={t('personForm.notesPlaceholder')} />
      </Form.Item>
    </>
  );
}
