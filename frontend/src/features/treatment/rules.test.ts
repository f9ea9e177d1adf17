import { describe, expect, it } from 'vitest';
import { MODALITIES } from '../../api/types';
import { allowedActions, decisionRequired, dischargeReasons, facilityRequired, isBackdated, visibleActions } from './rules';

describe('allowedActions', () => {
  it('follows the state machine for a residential placement', () => {
    expect(allowedActions('compulsory', 'registered')).toEqual(['admit', 'discharge']);
    expect(allowedActions('compulsory', 'admitted')).toEqual(['start', 'transfer', 'discharge']);
    expect(allowedActions('compulsory', 'active')).toEqual(['complete', 'transfer', 'discharge']);
    expect(allowedActions('compulsory', 'ended')).toEqual([]);
  });

  it('never transfers home/community rehabilitation or an assessment', () => {
    expect(allowedActions('voluntary_home_community', 'active')).toEqual(['complete', 'discharge']);
    expect(allowedActions('addiction_assessment', 'admitted')).toEqual(['start', 'discharge']);
  });

  it('offers nothing once ended, whatever the modality', () => {
    for (const m of MODALITIES) expect(allowedActions(m, 'ended')).toEqual([]);
  });

  it('starts only an admitted episode and completes only an active one', () => {
    for (const m of MODALITIES) {
      expect(allowedActions(m, 'registered')).not.toContain('start');
      expect(allowedActions(m, 'admitted')).not.toContain('complete');
      expect(allowedActions(m, 'active')).not.toContain('admit');
    }
  });
});

describe('visibleActions', () => {
  it('shows what the server allows, in button order', () => {
    expect(visibleActions({ modality: 'substitution', state: 'active', allowed_actions: ['transfer', 'discharge', 'complete'] })).toEqual([
      'complete',
      'transfer',
      'discharge',
    ]);
  });
  it('hides an action the state cannot take even if the server listed it', () => {
    expect(visibleActions({ modality: 'substitution', state: 'registered', allowed_actions: ['admit', 'complete'] })).toEqual(['admit']);
  });
  it('hides an action the server did not allow', () => {
    expect(visibleActions({ modality: 'compulsory', state: 'active', allowed_actions: ['complete'] })).toEqual(['complete']);
  });
});

describe('dischargeReasons', () => {
  it('before admission: only died or other', () => {
    expect(dischargeReasons('compulsory', 'registered')).toEqual(['died', 'other']);
  });
  it('a residential placement can be absconded from, not expelled', () => {
    expect(dischargeReasons('compulsory', 'active')).toEqual(['absconded', 'died', 'other']);
  });
  it('voluntary forms end by a switch to compulsory or expulsion', () => {
    expect(dischargeReasons('substitution', 'active')).toEqual(['switched_to_compulsory', 'expelled', 'died', 'other']);
    expect(dischargeReasons('voluntary_facility', 'admitted')).toEqual(['absconded', 'switched_to_compulsory', 'expelled', 'died', 'other']);
  });
  it('never offers completed or transferred', () => {
    for (const m of MODALITIES) {
      expect(dischargeReasons(m, 'active')).not.toContain('completed');
      expect(dischargeReasons(m, 'active')).not.toContain('transferred');
    }
  });
});

describe('form rules', () => {
  it('asks a decision for court and reception placements only', () => {
    expect(MODALITIES.filter(decisionRequired)).toEqual(['compulsory', 'temporary_no_residence', 'awaiting_compulsory']);
    expect(decisionRequired(undefined)).toBe(false);
  });
  it('lets home/community rehabilitation go without a facility', () => {
    expect(MODALITIES.filter((m) => !facilityRequired(m))).toEqual(['voluntary_home_community']);
  });
  it('asks a backdate reason for a date before today only', () => {
    expect(isBackdated('2026-12-03', '2026-12-04')).toBe(true);
    expect(isBackdated('2026-12-04', '2026-12-04')).toBe(false);
    expect(isBackdated('2026-12-05', '2026-12-04')).toBe(false);
    expect(isBackdated(null, '2026-12-04')).toBe(false);
  });
});
