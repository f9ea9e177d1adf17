/**
 * The only module that calls the generated SDK (src/client). Every function returns the
 * response body or throws ApiError (problem+json). Screens use these through feature hooks.
 */
import { client } from '../client/client.gen';
import * as sdk from '../client/sdk.gen';
import { createAuthFetch } from './authFetch';
import { filenameFromDisposition } from '../lib/download';
import { ApiError, parseRetryAfter, toProblem } from './problem';
import { tokenStore, tokensFromResponse } from './tokens';
import type {
  Checkin,
  CheckinCreate,
  Commitment,
  CommitmentCreate,
  CursorPage,
  Determination,
  DeterminationCreate,
  DrugTest,
  DrugTestCreate,
  ExportFormat,
  Facility,
  GroupQuery,
  GroupReport,
  ImportOptions,
  ImportReport,
  Me,
  Movement,
  MovementCreate,
  Person,
  PersonClose,
  PersonCreate,
  PersonListQuery,
  PersonPatch,
  Supervisor,
  Timeline,
  TokenResponse,
  Unit,
  UnitQuery,
  ActBody,
  AdmitBody,
  DayResult,
  DaySheet,
  DischargeBody,
  Dose,
  DoseCreate,
  Episode,
  EpisodeCreate,
  EpisodeHistory,
  EpisodeListQuery,
  Flag,
  FlagListQuery,
  Occupancy,
  TransferBody,
} from './types';

type SessionExpiredListener = () => void;
const expiredListeners = new Set<SessionExpiredListener>();

/** Called when a 401 could not be fixed by refreshing (tokens are already cleared). */
export function onSessionExpired(listener: SessionExpiredListener): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

async function refreshAccessToken(): Promise<string | null> {
  const refreshToken = tokenStore.get()?.refreshToken;
  if (!refreshToken) return null;
  const { data, error } = await sdk.refresh({ body: { refresh_token: refreshToken } });
  if (error || !data?.access_token) return null;
  const tokens = tokensFromResponse(data);
  tokenStore.set(tokens);
  return tokens.accessToken;
}

client.setConfig({
  baseUrl: '',
  auth: () => tokenStore.get()?.accessToken,
  fetch: createAuthFetch({
    refresh: refreshAccessToken,
    onExpired: () => {
      tokenStore.clear();
      expiredListeners.forEach((l) => l());
    },
  }),
});

client.interceptors.error.use((error, response) => {
  if (error instanceof ApiError) return error;
  const status = response?.status ?? 0;
  return new ApiError(status, toProblem(error, status), parseRetryAfter(response?.headers.get('Retry-After')));
});

type Call<T> = Promise<{ data?: T; error?: unknown; response?: Response }>;

/** Unwraps `{data, error, response}` from the generated SDK into data-and-response or throw. */
async function unwrapWithResponse<T>(call: Call<T>): Promise<{ data: T; response: Response }> {
  const { data, error, response } = await call;
  if (error !== undefined) {
    if (error instanceof ApiError) throw error;
    const status = response?.status ?? 0;
    throw new ApiError(status, toProblem(error, status));
  }
  return { data: data as T, response: response as Response };
}

/** Unwraps `{data, error}` from the generated SDK into data-or-throw. */
async function unwrap<T>(call: Call<T>): Promise<T> {
  return (await unwrapWithResponse(call)).data;
}

/** The version a response's ETag names, or the entity's own version as a quoted tag. */
function etagOf(response: Response, version: number): string {
  return response.headers.get('ETag') ?? `"${version}"`;
}

/** A downloaded file: its bytes and the name the server suggests. */
export interface DownloadedFile {
  blob: Blob;
  filename: string | null;
}

async function download(call: Call<Blob>): Promise<DownloadedFile> {
  const { data, response } = await unwrapWithResponse(call);
  return { blob: data, filename: filenameFromDisposition(response?.headers.get('Content-Disposition')) };
}

// ---- auth ----
export const apiLogin = (username: string, password: string): Promise<TokenResponse> =>
  unwrap(sdk.login({ body: { username, password } }));

export const apiLogout = async (refreshToken: string): Promise<void> => {
  await unwrap(sdk.logout({ body: { refresh_token: refreshToken } }));
};

export const apiMe = (): Promise<Me> => unwrap(sdk.me());

// ---- registry ----
export const apiListUnits = (query: UnitQuery): Promise<CursorPage<Unit>> => unwrap(sdk.listUnits({ query }));

export const apiGetUnit = (code: string): Promise<Unit> => unwrap(sdk.getUnit({ path: { code } }));

export const apiListPersons = (query: PersonListQuery, cursor?: string | null, limit = 50): Promise<CursorPage<Person>> =>
  unwrap(sdk.listPersons({ query: { ...query, limit, ...(cursor ? { cursor } : {}) } }));

/** Full record (national id in clear); the backend audits this read. */
export const apiGetPerson = (id: string): Promise<Person> => unwrap(sdk.getPerson({ path: { person_id: id } }));

/** A person with the ETag to send back as If-Match when changing it. */
export interface VersionedPerson {
  person: Person;
  etag: string;
}

export const apiGetPersonVersioned = async (id: string): Promise<VersionedPerson> => {
  const { data, response } = await unwrapWithResponse(sdk.getPerson({ path: { person_id: id } }));
  return { person: data, etag: etagOf(response, data.version) };
};

/** 409 `possible-duplicate` unless `confirmNew`; 201 may carry `warnings`. */
export const apiCreatePerson = (body: PersonCreate, confirmNew = false): Promise<Person> =>
  unwrap(sdk.createPerson({ body, ...(confirmNew ? { query: { confirm_new: true } } : {}) }));

/** 412 when the file changed since `etag` was read. */
export const apiPatchPerson = async (id: string, etag: string, body: PersonPatch): Promise<VersionedPerson> => {
  const { data, response } = await unwrapWithResponse(sdk.patchPerson({ path: { person_id: id }, body, headers: { 'If-Match': etag } }));
  return { person: data, etag: etagOf(response, data.version) };
};

export const apiClosePerson = async (id: string, etag: string, body: PersonClose): Promise<VersionedPerson> => {
  const { data, response } = await unwrapWithResponse(sdk.closePerson({ path: { person_id: id }, body, headers: { 'If-Match': etag } }));
  return { person: data, etag: etagOf(response, data.version) };
};

export const apiGetGroups = (query: GroupQuery): Promise<GroupReport> => unwrap(sdk.getGroups({ query }));

// ---- records on a person file ----
const personPath = (id: string) => ({ person_id: id });
const pageQuery = (cursor?: string | null, limit = 50) => ({ limit, ...(cursor ? { cursor } : {}) });

export const apiListDeterminations = (id: string, cursor?: string | null): Promise<CursorPage<Determination>> =>
  unwrap(sdk.listDeterminations({ path: personPath(id), query: pageQuery(cursor) }));
export const apiCreateDetermination = (id: string, body: DeterminationCreate): Promise<Determination> =>
  unwrap(sdk.createDetermination({ path: personPath(id), body }));

export const apiListDrugTests = (id: string, cursor?: string | null): Promise<CursorPage<DrugTest>> =>
  unwrap(sdk.listDrugTests({ path: personPath(id), query: pageQuery(cursor) }));
export const apiCreateDrugTest = (id: string, body: DrugTestCreate): Promise<DrugTest> => unwrap(sdk.createDrugTest({ path: personPath(id), body }));

export const apiListCommitments = (id: string, cursor?: string | null): Promise<CursorPage<Commitment>> =>
  unwrap(sdk.listCommitments({ path: personPath(id), query: pageQuery(cursor) }));
export const apiCreateCommitment = (id: string, body: CommitmentCreate): Promise<Commitment> =>
  unwrap(sdk.createCommitment({ path: personPath(id), body }));

/** PDF/JPEG/PNG up to 5 MB (multipart field `file`); replaces an earlier upload. */
export const apiUploadCommitmentDocument = (id: string, commitmentId: string, file: File): Promise<Commitment> =>
  unwrap(sdk.uploadCommitmentDocument({ path: { person_id: id, commitment_id: commitmentId }, body: { file } }));

export const apiGetCommitmentDocument = (id: string, commitmentId: string): Promise<DownloadedFile> =>
  download(sdk.getCommitmentDocument({ path: { person_id: id, commitment_id: commitmentId }, parseAs: 'blob' }) as Call<Blob>);

export const apiListCheckins = (id: string, cursor?: string | null): Promise<CursorPage<Checkin>> =>
  unwrap(sdk.listCheckins({ path: personPath(id), query: pageQuery(cursor) }));
export const apiCreateCheckin = (id: string, body: CheckinCreate): Promise<Checkin> => unwrap(sdk.createCheckin({ path: personPath(id), body }));

export const apiListPersonMovements = (id: string, cursor?: string | null): Promise<CursorPage<Movement>> =>
  unwrap(sdk.listPersonMovements({ path: personPath(id), query: pageQuery(cursor) }));
export const apiCreateMovement = (id: string, body: MovementCreate): Promise<Movement> => unwrap(sdk.createMovement({ path: personPath(id), body }));

/** Arrivals into the caller's jurisdiction still to acknowledge. */
export const apiListPendingMovements = (cursor?: string | null): Promise<CursorPage<Movement>> =>
  unwrap(sdk.listMovements({ query: { pending: true, ...pageQuery(cursor) } }));
export const apiAcknowledgeMovement = (movementId: string): Promise<Movement> =>
  unwrap(sdk.acknowledgeMovement({ path: { movement_id: movementId } }));

/** Registry, treatment and after-care events, newest first (`unavailable` names silent services). */
export const apiGetTimeline = (id: string): Promise<Timeline> => unwrap(sdk.getTimeline({ path: personPath(id) }));

// ---- import / export ----
/** A finished report (201 created / 200 not written) or a running job (202) to poll with apiGetImportJob. */
export const apiImportPersons = (file: File, options: ImportOptions): Promise<ImportReport> =>
  unwrap(sdk.importPersons({ body: { file }, query: options }));

export const apiGetImportJob = (jobId: string): Promise<ImportReport> => unwrap(sdk.getImportJob({ path: { job_id: jobId } }));

/** Every file the list shows with `filters`, as a spreadsheet. */
export const apiExportPersons = (format: ExportFormat, filters: PersonListQuery): Promise<DownloadedFile> =>
  download(sdk.exportPersons({ query: { ...filters, format }, parseAs: 'blob' }) as Call<Blob>);

// ---- treatment / aftercare ----
export const apiListFacilities = (cursor?: string | null, limit = 50): Promise<CursorPage<Facility>> =>
  unwrap(sdk.listFacilities({ query: { limit, ...(cursor ? { cursor } : {}) } }));

export const apiListSupervisors = (cursor?: string | null, limit = 50): Promise<CursorPage<Supervisor>> =>
  unwrap(sdk.listSupervisors({ query: { limit, ...(cursor ? { cursor } : {}) } }));

// ---- treatment: occupancy, episodes, doses, flags ----
export const apiGetFacility = (id: string): Promise<Facility> => unwrap(sdk.getFacility({ path: { facility_id: id } }));

/** Per modality: capacity, places taken, free, and `year`'s admissions (counts only). */
export const apiGetOccupancy = (id: string, year?: number): Promise<Occupancy> =>
  unwrap(sdk.getOccupancy({ path: { facility_id: id }, ...(year ? { query: { year } } : {}) }));

export const apiListEpisodes = (query: EpisodeListQuery, cursor?: string | null, limit = 50): Promise<CursorPage<Episode>> =>
  unwrap(sdk.listEpisodes({ query: { ...query, ...pageQuery(cursor, limit) } }));

export const apiGetEpisode = (id: string): Promise<Episode> => unwrap(sdk.getEpisode({ path: { episode_id: id } }));

export const apiGetEpisodeHistory = (id: string): Promise<EpisodeHistory> =>
  unwrap(sdk.getEpisodeHistory({ path: { episode_id: id } }));

/** 409 when the person already has an open episode; 503 when the registry cannot be asked. */
export const apiCreateEpisode = (body: EpisodeCreate): Promise<Episode> => unwrap(sdk.createEpisode({ body }));

const episodePath = (id: string) => ({ episode_id: id });

/** One transition; a wrong one is 409, a date before today without `backdate_reason` is 422. */
export const apiActOnEpisode = (
  id: string,
  act:
    | { action: 'admit'; body: AdmitBody }
    | { action: 'start' | 'complete'; body: ActBody }
    | { action: 'discharge'; body: DischargeBody }
    | { action: 'transfer'; body: TransferBody },
): Promise<Episode> => {
  switch (act.action) {
    case 'admit':
      return unwrap(sdk.admitEpisode({ path: episodePath(id), body: act.body }));
    case 'start':
      return unwrap(sdk.startEpisode({ path: episodePath(id), body: act.body }));
    case 'complete':
      return unwrap(sdk.completeEpisode({ path: episodePath(id), body: act.body }));
    case 'discharge':
      return unwrap(sdk.dischargeEpisode({ path: episodePath(id), body: act.body }));
    case 'transfer':
      return unwrap(sdk.transferEpisode({ path: episodePath(id), body: act.body }));
  }
};

/** The episode's doses, latest first. */
export const apiListDoses = (id: string): Promise<Dose[]> => unwrap(sdk.listDoses({ path: episodePath(id) }));

export const apiRecordDose = (id: string, body: DoseCreate): Promise<Dose> => unwrap(sdk.recordDose({ path: episodePath(id), body }));

/** A clinic's day in one call: one result per row (recorded, duplicate, refused, not_found). */
export const apiRecordDoseDay = (facilityId: string, body: DaySheet): Promise<DayResult> =>
  unwrap(sdk.recordDoseDay({ path: { facility_id: facilityId }, body }));

export const apiListFlags = (query: FlagListQuery, cursor?: string | null): Promise<CursorPage<Flag>> =>
  unwrap(sdk.listFlags({ query: { ...query, ...pageQuery(cursor) } }));
