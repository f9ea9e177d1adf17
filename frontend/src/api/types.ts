/**
 * App-facing names for the generated types. They are derived from the per-operation
 * types (named after the pinned operation names in openapi-ts.config.ts), not from
 * component schema names, so a regenerated spec with other component names still fits.
 */
import type * as gen from '../client/types.gen';

type Body<T extends { body?: unknown }> = NonNullable<T['body']>;
type Query<T extends { query?: unknown }> = NonNullable<T['query']>;

export type TokenResponse = gen.LoginResponse;
export type Me = gen.MeResponse;
export type UnitPage = gen.ListUnitsResponse;
export type Unit = UnitPage['items'][number];
export type PersonPage = gen.ListPersonsResponse;
export type Person = gen.GetPersonResponse;
export type PersonCreate = Body<gen.CreatePersonData>;
export type PersonPatch = Body<gen.PatchPersonData>;
export type PersonClose = Body<gen.ClosePersonData>;
export type FamilyContact = NonNullable<Person['family_contact']>;
/** A warning that did not stop a write (e.g. an unknown CCCD province prefix). */
export type Notice = NonNullable<Person['warnings']>[number];
export type GroupReport = gen.GetGroupsResponse;
export type GroupCounts = GroupReport['total'];
export type PersonStatus = Person['status'];
export type PersonCategory = Person['category'];
export type Sex = Person['sex'];
export type FacilityPage = gen.ListFacilitiesResponse;
export type Facility = FacilityPage['items'][number];
export type FacilityKind = Facility['kind'];
export type SupervisorPage = gen.ListSupervisorsResponse;
export type Supervisor = SupervisorPage['items'][number];
export type Organisation = Supervisor['organisation'];

export type UnitQuery = Query<gen.ListUnitsData>;
export type UnitLevel = NonNullable<UnitQuery['level']>;
export type PersonListQuery = Omit<Query<gen.ListPersonsData>, 'cursor' | 'limit'>;
export type AgeBand = NonNullable<PersonListQuery['age_band']>;
export type GroupQuery = Query<gen.GetGroupsData>;

export * from './records';

/** Generic cursor page, structurally compatible with every *Page schema. */
export interface CursorPage<T> {
  items: T[];
  next_cursor?: string | null;
}

export const PERSON_STATUSES = [
  'illegal_user_managed',
  'addicted_untreated',
  'in_home_community_rehab',
  'in_substitution_therapy',
  'in_facility',
  'in_aftercare',
  'relapsed',
  'closed',
] as const satisfies readonly PersonStatus[];

export const PERSON_CATEGORIES = ['illegal_user', 'addicted'] as const satisfies readonly PersonCategory[];

export const SEXES = ['male', 'female'] as const satisfies readonly Sex[];

export const AGE_BANDS = ['under_14', '14_16', '16_18', '18_30', 'over_30'] as const satisfies readonly AgeBand[];

/** The four groups of GET /groups, in display order. */
export const GROUPS = ['home_community', 'substitution', 'aftercare', 'absent'] as const;
export type GroupKey = (typeof GROUPS)[number];

/** Keys seen in Facility.capacities (treatment modalities). Unknown keys are shown raw. */
export const MODALITIES = [
  'compulsory',
  'voluntary_facility',
  'voluntary_home_community',
  'substitution',
  'temporary_no_residence',
  'awaiting_compulsory',
  'addiction_assessment',
] as const;
export type Modality = (typeof MODALITIES)[number];
export const isModality = (k: string): k is Modality => (MODALITIES as readonly string[]).includes(k);

// ---- treatment: episodes, occupancy, doses, flags ----
type Path<T extends { path?: unknown }> = NonNullable<T['path']>;
export type Occupancy = gen.GetOccupancyResponse;
export type ModalityOccupancy = Occupancy['modalities'][number];
export type Episode = gen.GetEpisodeResponse;
export type EpisodeState = Episode['state'];
export type EpisodeAction = Episode['allowed_actions'][number];
export type Outcome = NonNullable<Episode['outcome']>;
export type MinorCase = NonNullable<Episode['minor_case']>;
export type EpisodeCreate = Body<gen.CreateEpisodeData>;
export type EpisodeListQuery = Omit<Query<gen.ListEpisodesData>, 'cursor' | 'limit'>;
export type EpisodeHistory = gen.GetEpisodeHistoryResponse;
export type Transition = EpisodeHistory['items'][number];
export type AdmitBody = Body<gen.AdmitEpisodeData>;
export type DischargeBody = Body<gen.DischargeEpisodeData>;
export type TransferBody = Body<gen.TransferEpisodeData>;
export type ActBody = Body<gen.StartEpisodeData>;
export type Dose = gen.ListDosesResponse[number];
export type DoseCreate = Body<gen.RecordDoseData>;
export type DaySheet = Body<gen.RecordDoseDayData>;
export type DayResult = gen.RecordDoseDayResponse;
export type Flag = gen.ListFlagsResponse['items'][number];
export type FlagListQuery = Omit<Query<gen.ListFlagsData>, 'cursor' | 'limit'>;
export type EpisodePath = Path<gen.GetEpisodeData>;
