import type { PersonCategory, PersonCreate, Sex } from '../../api/types';
import { parseDateInput } from '../../lib/dates';

/** What the create form holds (date typed as text, optional current residence). */
export interface PersonFormValues {
  full_name: string;
  date_of_birth: string;
  sex: Sex;
  national_id?: string;
  residence: { unit_code: string; address: string };
  current_differs?: boolean;
  current_residence?: { unit_code?: string; address?: string };
  category: PersonCategory;
}

/** Form field paths (dotted) that server errors can attach to. */
export const PERSON_FORM_FIELDS = [
  'full_name',
  'date_of_birth',
  'sex',
  'national_id',
  'residence.unit_code',
  'residence.address',
  'current_residence.unit_code',
  'current_residence.address',
  'category',
] as const;

export const NATIONAL_ID_PATTERN = /^\d{12}$/;

/** Form values → POST body. Throws if the date is unparsable (the form validates it first). */
export function toPersonCreate(values: PersonFormValues): PersonCreate {
  const dob = parseDateInput(values.date_of_birth);
  if (!dob) throw new Error('invalid date_of_birth');
  const nationalId = values.national_id?.trim();
  const body: PersonCreate = {
    full_name: values.full_name.trim().replace(/\s+/g, ' '),
    date_of_birth: dob,
    sex: values.sex,
    residence: { unit_code: values.residence.unit_code, address: values.residence.address.trim() },
    category: values.category,
  };
  if (nationalId) body.national_id = nationalId;
  if (values.current_differs && values.current_residence?.unit_code) {
    body.current_residence = {
      unit_code: values.current_residence.unit_code,
      address: (values.current_residence.address ?? '').trim(),
    };
  }
  return body;
}
