import type { Person, PersonCategory, PersonCreate, PersonPatch, Sex } from '../../api/types';
import { formatDate, parseDateInput } from '../../lib/dates';

/** What the create/edit form holds (dates typed as text, optional sections behind toggles). */
export interface PersonFormValues {
  full_name: string;
  other_names?: string[];
  /** Only the year of birth is known. */
  birth_year_only?: boolean;
  date_of_birth?: string;
  birth_year?: string | number | null;
  sex: Sex;
  national_id?: string;
  phone?: string;
  ethnicity?: string;
  education?: string;
  occupation?: string;
  residence: { unit_code: string; address: string };
  current_differs?: boolean;
  current_residence?: { unit_code?: string; address?: string };
  family_contact?: { full_name?: string; relationship?: string; phone?: string; address?: string };
  category: PersonCategory;
  /** Illegal users only: the date of the management decision (dd/mm/yyyy). */
  management_decision_date?: string;
  notes?: string;
}

/** Form field paths (dotted) that server errors can attach to. */
export const PERSON_FORM_FIELDS = [
  'full_name',
  'other_names',
  'date_of_birth',
  'birth_year',
  'sex',
  'national_id',
  'phone',
  'ethnicity',
  'education',
  'occupation',
  'residence.unit_code',
  'residence.address',
  'current_residence.unit_code',
  'current_residence.address',
  'family_contact.full_name',
  'family_contact.relationship',
  'family_contact.phone',
  'family_contact.address',
  'category',
  'management_decision_date',
  'notes',
] as const;

export const NATIONAL_ID_PATTERN = /^\d{12}$/;
/** As the server checks it: optional +, 8 to 15 digits (spaces and dots are stripped first). */
export const PHONE_PATTERN = /^\+?\d{8,15}$/;

export const normalizePhone = (phone: string | undefined | null): string => (phone ?? '').replace(/[\s.-]/g, '');

const clean = (s: string | undefined | null): string => (s ?? '').trim().replace(/\s+/g, ' ');

/** Form values → POST body. Throws if a date is unparsable (the form validates it first). */
export function toPersonCreate(values: PersonFormValues): PersonCreate {
  const body: PersonCreate = {
    full_name: clean(values.full_name),
    sex: values.sex,
    residence: { unit_code: values.residence.unit_code, address: (values.residence.address ?? '').trim() },
    category: values.category,
  };
  const otherNames = (values.other_names ?? []).map(clean).filter(Boolean);
  if (otherNames.length) body.other_names = otherNames;

  if (values.birth_year_only) {
    const year = Number(String(values.birth_year ?? '').trim());
    if (!Number.isInteger(year) || year <= 0) throw new Error('invalid birth_year');
    body.birth_year = year;
  } else {
    const dob = parseDateInput(values.date_of_birth);
    if (!dob) throw new Error('invalid date_of_birth');
    body.date_of_birth = dob;
  }

  const nationalId = values.national_id?.trim();
  if (nationalId) body.national_id = nationalId;
  const phone = normalizePhone(values.phone);
  if (phone) body.phone = phone;
  for (const key of ['ethnicity', 'education', 'occupation'] as const) {
    const v = clean(values[key]);
    if (v) body[key] = v;
  }
  if (values.current_differs && values.current_residence?.unit_code) {
    body.current_residence = {
      unit_code: values.current_residence.unit_code,
      address: (values.current_residence.address ?? '').trim(),
    };
  }
  const fc = values.family_contact;
  if (fc && clean(fc.full_name)) {
    body.family_contact = { full_name: clean(fc.full_name), relationship: clean(fc.relationship) };
    const fcPhone = normalizePhone(fc.phone);
    if (fcPhone) body.family_contact.phone = fcPhone;
    const fcAddress = fc.address?.trim();
    if (fcAddress) body.family_contact.address = fcAddress;
  }
  if (values.category === 'illegal_user' && values.management_decision_date?.trim()) {
    const decided = parseDateInput(values.management_decision_date);
    if (!decided) throw new Error('invalid management_decision_date');
    body.management_decision_date = decided;
  }
  const notes = values.notes?.trim();
  if (notes) body.notes = notes;
  return body;
}

/** A stored person → the edit form's initial values. */
export function personToFormValues(p: Person): PersonFormValues {
  const current = p.current_residence;
  return {
    full_name: p.full_name,
    other_names: [...(p.other_names ?? [])],
    birth_year_only: !p.date_of_birth,
    date_of_birth: p.date_of_birth ? formatDate(p.date_of_birth) : '',
    birth_year: p.date_of_birth ? null : p.birth_year,
    sex: p.sex,
    national_id: p.national_id ?? '',
    phone: p.phone ?? '',
    ethnicity: p.ethnicity ?? '',
    education: p.education ?? '',
    occupation: p.occupation ?? '',
    residence: { unit_code: p.residence.unit_code, address: p.residence.address ?? '' },
    current_differs: !!current,
    current_residence: current ? { unit_code: current.unit_code, address: current.address ?? '' } : undefined,
    family_contact: p.family_contact
      ? {
          full_name: p.family_contact.full_name,
          relationship: p.family_contact.relationship,
          phone: p.family_contact.phone ?? '',
          address: p.family_contact.address ?? '',
        }
      : undefined,
    category: p.category,
    // The management period starts on the decision date.
    management_decision_date: p.category === 'illegal_user' && p.management_start ? formatDate(p.management_start) : '',
    notes: p.notes ?? '',
  };
}

const PATCHABLE = [
  'full_name',
  'other_names',
  'date_of_birth',
  'birth_year',
  'sex',
  'national_id',
  'phone',
  'ethnicity',
  'education',
  'occupation',
  'residence',
  'current_residence',
  'family_contact',
  'category',
  'management_decision_date',
  'notes',
] as const satisfies readonly (keyof PersonPatch)[];

/**
 * The PATCH body that turns `before` into `after`: only changed fields, `null` for an optional
 * field that was cleared. Switching between a full date and a year alone sends both.
 */
export function toPersonPatch(before: PersonFormValues, after: PersonFormValues): PersonPatch {
  const a = toPersonCreate(before) as Record<string, unknown>;
  const b = toPersonCreate(after) as Record<string, unknown>;
  const patch: Record<string, unknown> = {};
  for (const key of PATCHABLE) {
    const was = key === 'other_names' ? (a[key] ?? []) : a[key];
    const now = key === 'other_names' ? (b[key] ?? []) : b[key];
    if (JSON.stringify(was ?? null) !== JSON.stringify(now ?? null)) patch[key] = now ?? null;
  }
  return patch as PersonPatch;
}
