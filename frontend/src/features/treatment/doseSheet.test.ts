import { describe, expect, it } from 'vitest';
import { applyDayResult, countGiven, lastDose, makeRow, needsChangeReason, nextDueIndex, readyRows, rowProblem, toDayDose, type SheetRow } from './doseSheet';

const TODAY = '2026-12-04';
const ep = (id: string) => ({ id, person_id: `p-${id}` });
const row = (id: string, last: SheetRow['last'], patch: Partial<SheetRow> = {}): SheetRow => ({ ...makeRow(ep(id), last, TODAY), ...patch });

describe('makeRow', () => {
  it('prefills the dose from the latest dose', () => {
    const doses = [
      { dose_mg: 80, given_on: '2026-12-03' },
      { dose_mg: 70, given_on: '2026-12-02' },
    ];
    const r = makeRow(ep('a'), lastDose(doses), TODAY);
    expect(r.mg).toBe(80);
    expect(r.status).toBe('due');
  });
  it('marks a patient dosed today as given', () => {
    expect(makeRow(ep('a'), { dose_mg: 80, given_on: TODAY }, TODAY).status).toBe('given');
  });
  it('leaves the dose empty for a first dose', () => {
    expect(makeRow(ep('a'), lastDose([]), TODAY)).toMatchObject({ mg: null, last: null, status: 'due' });
  });
});

describe('row checks', () => {
  it('a changed dose needs a reason, the same dose does not', () => {
    expect(needsChangeReason(row('a', { dose_mg: 80, given_on: '2026-12-03' }, { mg: 90 }))).toBe(true);
    expect(needsChangeReason(row('a', { dose_mg: 80, given_on: '2026-12-03' }))).toBe(false);
    expect(needsChangeReason(row('a', null, { mg: 30 }))).toBe(false);
    expect(rowProblem(row('a', { dose_mg: 80, given_on: '2026-12-03' }, { mg: 90 }))).toBe('reasonRequired');
    expect(rowProblem(row('a', { dose_mg: 80, given_on: '2026-12-03' }, { mg: 90, changeReason: 'tăng liều theo chỉ định' }))).toBeNull();
  });
  it('refuses an empty, zero or absurd dose and a second dose today', () => {
    expect(rowProblem(row('a', null))).toBe('noDose');
    expect(rowProblem(row('a', null, { mg: 0 }))).toBe('noDose');
    expect(rowProblem(row('a', null, { mg: 1001 }))).toBe('noDose');
    expect(rowProblem(row('a', { dose_mg: 80, given_on: TODAY }))).toBe('alreadyGiven');
  });
  it('posts only ready rows, with the reason only when the dose changed', () => {
    const rows = [
      row('a', { dose_mg: 80, given_on: '2026-12-03' }, { changeReason: 'ignored' }),
      row('b', null),
      row('c', { dose_mg: 60, given_on: '2026-12-03' }, { mg: 65.04, changeReason: ' giảm ' }),
      row('d', { dose_mg: 60, given_on: TODAY }),
    ];
    expect(readyRows(rows).map(toDayDose)).toEqual([
      { episode_id: 'a', dose_mg: 80 },
      { episode_id: 'c', dose_mg: 65, change_reason: 'giảm' },
    ]);
  });
});

describe('applyDayResult', () => {
  it('marks recorded and duplicate rows given and keeps why a row was refused', () => {
    const rows = [row('a', null, { mg: 40 }), row('b', null, { mg: 50 }), row('c', null, { mg: 60 }), row('d', null, { mg: 70 })];
    const after = applyDayResult(
      rows,
      {
        results: [
          { episode_id: 'a', status: 'recorded', dose_id: 1 },
          { episode_id: 'b', status: 'duplicate' },
          { episode_id: 'c', status: 'refused', detail: 'Not in treatment' },
        ],
      },
      TODAY,
    );
    expect(after.map((r) => r.status)).toEqual(['given', 'given', 'error', 'due']);
    expect(after[0]?.last).toEqual({ dose_mg: 40, given_on: TODAY });
    expect(after[2]?.error).toBe('Not in treatment');
    expect(countGiven(after)).toBe(2);
  });
});

describe('nextDueIndex', () => {
  it('moves to the next row still to give, wrapping round', () => {
    const rows = [{ status: 'due' }, { status: 'given' }, { status: 'due' }] as const;
    expect(nextDueIndex(rows, 0)).toBe(2);
    expect(nextDueIndex(rows, 2)).toBe(0);
  });
  it('is null when every other row is given', () => {
    expect(nextDueIndex([{ status: 'due' }, { status: 'given' }], 0)).toBeNull();
  });
});
