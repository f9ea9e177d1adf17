import { describe, expect, it } from 'vitest';
import en from '../../locales/en.json';
import vi from '../../locales/vi.json';
import { describeSummary, SUMMARY_KEYS, TIMELINE_TYPES, timelineDate, timelineLabel, timelineLabelKey, type Translate } from './timeline';

/** A translate function over a locale file (dotted keys), like the app's. */
function translator(locale: object): Translate {
  return (key, fallback) => {
    const value = key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), locale);
    return typeof value === 'string' ? value : fallback;
  };
}
const trVi = translator(vi);

describe('timeline labels', () => {
  it('has a Vietnamese and an English label for every known type and summary key', () => {
    for (const type of TIMELINE_TYPES) {
      const key = timelineLabelKey(type)!;
      expect(translator(vi)(key, ''), type).not.toBe('');
      expect(translator(en)(key, ''), type).not.toBe('');
    }
    for (const key of SUMMARY_KEYS) {
      expect(translator(vi)(`timeline.summary.${key}`, ''), key).not.toBe('');
      expect(translator(en)(`timeline.summary.${key}`, ''), key).not.toBe('');
    }
  });
  it('labels known types and shows unknown ones readably', () => {
    expect(timelineLabelKey('person.drug_test_recorded')).toBe('timeline.types.person_drug_test_recorded');
    expect(timelineLabel('person.drug_test_recorded', trVi)).toBe('Xét nghiệm ma túy');
    expect(timelineLabel('person.registered', trVi)).toBe('Lập hồ sơ');
    expect(timelineLabel('treatment.episode_started', trVi)).toBe('Bắt đầu điều trị, cai nghiện');
    expect(timelineLabelKey('unknown.thing_happened')).toBeNull();
    expect(timelineLabel('unknown.thing_happened', trVi)).toBe('unknown thing happened');
  });
});

describe('describeSummary', () => {
  it('shows the keys of the type, with labelled enumeration values', () => {
    const parts = describeSummary(
      'person.drug_test_recorded',
      { record_id: 'r', on: '2025-07-01', unit_code: '11953', substances: ['heroin', 'methamphetamine'], result: 'positive' },
      trVi,
    );
    expect(parts).toEqual([
      { key: 'result', label: 'Kết quả', value: 'Dương tính' },
      { key: 'substances', label: 'Chất', value: 'Heroin, Methamphetamine (ma túy đá)' },
    ]);
  });
  it('translates statuses and kinds, and marks unit codes for naming', () => {
    expect(describeSummary('person.status_changed', { previous: 'addicted_untreated', status: 'in_facility', sex: 'male' }, trVi).map((p) => p.value)).toEqual([
      'Nghiện – chưa điều trị',
      'Đang ở cơ sở cai nghiện',
    ]);
    expect(describeSummary('person.checkin_recorded', { kind: 'home_visit', outcome: 'not_reached' }, trVi).map((p) => p.value)).toEqual([
      'Thăm tại nhà',
      'Không liên lạc được',
    ]);
    expect(describeSummary('person.moved', { kind: 'moved', from_unit_code: '11953', destination_unit_code: '11980' }, trVi)).toEqual([
      { key: 'from_unit_code', label: 'Nơi đi', value: '11953', unitCode: '11953' },
      { key: 'destination_unit_code', label: 'Nơi đến', value: '11980', unitCode: '11980' },
    ]);
    expect(describeSummary('person.arrival_acknowledged', { late: true }, trVi)[0]?.value).toBe('Có');
    expect(describeSummary('person.closed', { closed_on: '2025-07-01', reason: 'Chết' }, trVi).map((p) => p.value)).toEqual(['01/07/2025', 'Chết']);
  });
  it('keeps unknown values, uses default keys for unknown types and tolerates no summary', () => {
    expect(describeSummary('person.determination_recorded', { result: 'weird' }, trVi).map((p) => p.value)).toEqual(['weird']);
    expect(describeSummary('x.y', { status: 'relapsed', secret: 'no' }, trVi).map((p) => p.value)).toEqual(['Tái nghiện']);
    expect(describeSummary('person.registered', null, trVi)).toEqual([]);
    expect(describeSummary('person.closed', { reason: '' }, trVi)).toEqual([]);
  });
  it('dates an event by its day, else by when it was recorded', () => {
    expect(timelineDate({ at: '2025-07-01T03:00:00Z', on: '2025-06-30' })).toBe('30/06/2025');
    expect(timelineDate({ at: '2025-07-01T03:00:00Z', on: null })).toBe('01/07/2025 10:00');
  });
});
