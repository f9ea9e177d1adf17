/** Timeline event labels and summaries (pure: the translation function is passed in). */
import type { TimelineItem } from '../../api/types';
import { formatDate, formatDateTime } from '../../lib/dates';

/**
 * Event types with a label in `timeline.types` (dots become underscores in the key) and the
 * summary keys shown for each, in order. Types not listed are labelled from the raw type.
 */
export const TIMELINE_TYPE_KEYS: Record<string, readonly string[]> = {
  'person.registered': ['category', 'status'],
  'person.updated': ['category', 'status'],
  'person.status_changed': ['previous', 'status'],
  'person.closed': ['closed_on', 'reason'],
  'person.determination_recorded': ['result', 'substance_group'],
  'person.drug_test_recorded': ['result', 'substances'],
  'person.commitment_signed': [],
  'person.checkin_recorded': ['kind', 'outcome'],
  'person.absent': ['from_unit_code', 'destination_unit_code'],
  'person.returned': ['from_unit_code'],
  'person.moved': ['from_unit_code', 'destination_unit_code'],
  'person.arrival_acknowledged': ['late'],
  'treatment.episode_started': ['modality'],
  'treatment.episode_ended': ['modality', 'outcome'],
  'aftercare.case_opened': ['kind'],
  'aftercare.relapse_recorded': ['reason'],
  'aftercare.case_closed': ['reason'],
};
export const TIMELINE_TYPES = Object.keys(TIMELINE_TYPE_KEYS);

/** Keys shown, in this order, for an event type the timeline does not know. */
export const DEFAULT_SUMMARY_KEYS = [
  'previous',
  'status',
  'result',
  'substance_group',
  'substances',
  'kind',
  'outcome',
  'modality',
  'from_unit_code',
  'destination_unit_code',
  'reason',
] as const;

/** Every key that has a label in `timeline.summary`. */
export const SUMMARY_KEYS = [...new Set([...Object.values(TIMELINE_TYPE_KEYS).flat(), ...DEFAULT_SUMMARY_KEYS])];

/** "person.drug_test_recorded" → "timeline.types.person_drug_test_recorded" (known types only). */
export function timelineLabelKey(type: string): string | null {
  return type in TIMELINE_TYPE_KEYS ? `timeline.types.${type.replace(/\./g, '_')}` : null;
}

export type Translate = (key: string, fallback: string) => string;

/** Label of an event type: the translated one, else a readable form of the raw type. */
export function timelineLabel(type: string, tr: Translate): string {
  const key = timelineLabelKey(type);
  const readable = type.replace(/[._]/g, ' ');
  return key ? tr(key, readable) : readable;
}

/** Summary keys whose values are enumerations, and the locale groups naming their values. */
const ENUM_GROUPS: Record<string, string[]> = {
  result: ['records.determination.results', 'records.drugTest.results'],
  substance_group: ['records.determination.substanceGroups'],
  substances: ['records.drugTest.substances'],
  outcome: ['records.checkin.outcomes'],
  kind: ['records.checkin.kinds', 'records.movement.kinds'],
  status: ['person.status'],
  previous: ['person.status'],
  category: ['person.category'],
  modality: ['facilities.modalities'],
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function scalar(key: string, value: unknown, tr: Translate): string {
  if (value == null) return '';
  if (typeof value === 'boolean') return tr(value ? 'common.yes' : 'common.no', String(value));
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return '';
  if (ISO_DATE.test(value)) return formatDate(value);
  if (ISO_TIMESTAMP.test(value)) return formatDateTime(value);
  for (const group of ENUM_GROUPS[key] ?? []) {
    const label = tr(`${group}.${value}`, '');
    if (label) return label;
  }
  return value;
}

export interface SummaryPart {
  key: string;
  label: string;
  value: string;
  /** Set for unit codes, which the screen shows by name. */
  unitCode?: string;
}

/** The summary of an event as labelled parts, for the keys its type shows. */
export function describeSummary(type: string, summary: TimelineItem['summary'] | null | undefined, tr: Translate): SummaryPart[] {
  if (!summary || typeof summary !== 'object') return [];
  const keys = TIMELINE_TYPE_KEYS[type] ?? DEFAULT_SUMMARY_KEYS;
  const parts: SummaryPart[] = [];
  for (const key of keys) {
    const raw = summary[key];
    if (raw == null || raw === '') continue;
    const label = tr(`timeline.summary.${key}`, key);
    if (key.endsWith('unit_code') && typeof raw === 'string') {
      parts.push({ key, label, value: raw, unitCode: raw });
      continue;
    }
    const value = Array.isArray(raw)
      ? raw
          .map((v) => scalar(key, v, tr))
          .filter(Boolean)
          .join(', ')
      : scalar(key, raw, tr);
    if (value) parts.push({ key, label, value });
  }
  return parts;
}

/** Date shown for an event: the day it happened on when given, else when it was recorded. */
export const timelineDate = (item: { at: string; on?: string | null }): string => (item.on ? formatDate(item.on) : formatDateTime(item.at));

/** Dot colour per source. */
export const SOURCE_COLORS: Record<string, string> = { registry: 'blue', treatment: 'purple', aftercare: 'green' };
