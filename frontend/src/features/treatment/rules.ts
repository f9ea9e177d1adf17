/**
 * The episode rules the screens need before asking the server, mirrored from
 * treatment_service/episodes/{states,rules}.py. The server stays the judge (it answers 409/422);
 * these only decide which buttons and fields to show.
 */
import type { EpisodeAction, EpisodeState, Modality, Outcome } from '../../api/types';

/** Display order of the transition buttons. */
export const ACTIONS = ['admit', 'start', 'complete', 'transfer', 'discharge'] as const satisfies readonly EpisodeAction[];

export const EPISODE_STATES = ['registered', 'admitted', 'active', 'ended'] as const satisfies readonly EpisodeState[];

export const OUTCOMES = [
  'completed',
  'absconded',
  'transferred',
  'switched_to_compulsory',
  'expelled',
  'died',
  'other',
] as const satisfies readonly Outcome[];

// (from state) → the actions the state machine has from it, for every modality.
const FROM_STATE: Record<EpisodeState, readonly EpisodeAction[]> = {
  registered: ['admit', 'discharge'],
  admitted: ['start', 'discharge', 'transfer'],
  active: ['complete', 'discharge', 'transfer'],
  ended: [],
};

// Home/community rehabilitation and an addiction assessment never move to another facility.
const NO_TRANSFER: ReadonlySet<Modality> = new Set(['voluntary_home_community', 'addiction_assessment']);

const RESIDENTIAL: ReadonlySet<Modality> = new Set([
  'compulsory',
  'voluntary_facility',
  'temporary_no_residence',
  'awaiting_compulsory',
  'addiction_assessment',
]);
const VOLUNTARY: ReadonlySet<Modality> = new Set(['voluntary_facility', 'voluntary_home_community', 'substitution']);

// The modalities registered on a decision (court, reception): number and date required.
const DECISION_REQUIRED: ReadonlySet<Modality> = new Set(['compulsory', 'temporary_no_residence', 'awaiting_compulsory']);

/** Actions valid from `state` for `modality`, in button order. */
export function allowedActions(modality: Modality, state: EpisodeState): EpisodeAction[] {
  const from = FROM_STATE[state] ?? [];
  return ACTIONS.filter((a) => from.includes(a) && !(a === 'transfer' && NO_TRANSFER.has(modality)));
}

/**
 * The buttons to show: what the server says is allowed (`allowed_actions`), kept to what the
 * state machine has from the state, in button order. An ended episode shows none.
 */
export function visibleActions(episode: { modality: Modality; state: EpisodeState; allowed_actions: readonly EpisodeAction[] }): EpisodeAction[] {
  const local = allowedActions(episode.modality, episode.state);
  return local.filter((a) => episode.allowed_actions.includes(a));
}

/** Reasons a discharge may give: before admission only died/other. */
export function dischargeReasons(modality: Modality, state: EpisodeState): Outcome[] {
  if (state === 'ended') return [];
  const reasons = new Set<Outcome>(['died', 'other']);
  if (state !== 'registered') {
    if (RESIDENTIAL.has(modality)) reasons.add('absconded');
    if (VOLUNTARY.has(modality)) {
      reasons.add('switched_to_compulsory');
      reasons.add('expelled');
    }
  }
  return OUTCOMES.filter((o) => reasons.has(o));
}

export const decisionRequired = (modality: Modality | undefined): boolean => !!modality && DECISION_REQUIRED.has(modality);

/** Home/community rehabilitation may name its certified provider later. */
export const facilityRequired = (modality: Modality | undefined): boolean => modality !== 'voluntary_home_community';

/** Minor cases apply to compulsory placements (and the wait for one). */
export const minorCaseApplies = (modality: Modality | undefined): boolean => modality === 'compulsory' || modality === 'awaiting_compulsory';

/** A date before today ("YYYY-MM-DD", compared as text) needs a backdate reason. */
export const isBackdated = (on: string | null | undefined, today: string): boolean => !!on && on < today;
