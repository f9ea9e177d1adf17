/**
 * App names for the registry's records on a person file, movements, timeline and
 * import/export, derived from the per-operation types like types.ts, and their enumerations,
 * checked against those types (a value the spec drops fails the type check).
 */
import type * as gen from '../client/types.gen';

type Body<T extends { body?: unknown }> = NonNullable<T['body']>;
type Item<T extends { items: unknown[] }> = T['items'][number];

export type Determination = Item<gen.ListDeterminationsResponse>;
export type DeterminationCreate = Body<gen.CreateDeterminationData>;
export type DrugTest = Item<gen.ListDrugTestsResponse>;
export type DrugTestCreate = Body<gen.CreateDrugTestData>;
export type Commitment = Item<gen.ListCommitmentsResponse>;
export type CommitmentCreate = Body<gen.CreateCommitmentData>;
export type CommitmentDocument = NonNullable<Commitment['document']>;
export type Checkin = Item<gen.ListCheckinsResponse>;
export type CheckinCreate = Body<gen.CreateCheckinData>;
export type Movement = Item<gen.ListPersonMovementsResponse>;
export type MovementCreate = Body<gen.CreateMovementData>;
export type Timeline = gen.GetTimelineResponse;
export type TimelineItem = Timeline['items'][number];
export type ImportReport = gen.GetImportJobResponse;
export type ImportIssue = ImportReport['errors'][number];
export type ImportOptions = Required<NonNullable<gen.ImportPersonsData['query']>>;
export type ExportFormat = NonNullable<NonNullable<gen.ExportPersonsData['query']>['format']>;

export type DeterminationResult = Determination['result'];
export type SubstanceGroup = Determination['substance_group'];
export type DrugTestResult = DrugTest['result'];
export type Substance = DrugTest['substances'][number];
export type TestMethod = NonNullable<DrugTest['method']>;
export type CheckinKind = Checkin['kind'];
export type CheckinOutcome = Checkin['outcome'];
export type MovementKind = Movement['kind'];
export type ImportMode = ImportReport['mode'];
export type ImportStatus = ImportReport['status'];

export const DETERMINATION_RESULTS = ['addicted', 'not_addicted'] as const satisfies readonly DeterminationResult[];
export const SUBSTANCE_GROUPS = ['opioids', 'synthetic', 'other'] as const satisfies readonly SubstanceGroup[];
export const DRUG_TEST_RESULTS = ['positive', 'negative'] as const satisfies readonly DrugTestResult[];
export const SUBSTANCES = [
  'heroin',
  'morphine',
  'methadone',
  'methamphetamine',
  'amphetamine',
  'mdma',
  'ketamine',
  'cannabis',
  'cocaine',
  'other',
] as const satisfies readonly Substance[];
export const TEST_METHODS = ['urine', 'saliva', 'hair', 'blood'] as const satisfies readonly TestMethod[];
export const CHECKIN_KINDS = ['check_in', 'summons', 'home_visit', 'call'] as const satisfies readonly CheckinKind[];
export const CHECKIN_OUTCOMES = ['present', 'absent', 'not_reached', 'other'] as const satisfies readonly CheckinOutcome[];
export const MOVEMENT_KINDS = ['absent', 'returned', 'moved'] as const satisfies readonly MovementKind[];
export const IMPORT_MODES = ['all_or_nothing', 'valid_rows'] as const satisfies readonly ImportMode[];
export const IMPORT_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'rejected'] as const satisfies readonly ImportStatus[];
export const EXPORT_FORMATS = ['xlsx', 'csv'] as const satisfies readonly ExportFormat[];
