import { defineConfig } from '@hey-api/openapi-ts';

/**
 * SDK function names are pinned by METHOD + path (path parameters written as {}), so
 * regenerating from the backend's spec (whatever its operationIds and component names)
 * yields the same functions and *Data / *Response types. src/api/ is the only consumer.
 * Operations not listed keep the generator's default name.
 */
const operationNames: Record<string, string> = {
  'POST /auth/login': 'login',
  'POST /auth/refresh': 'refresh',
  'POST /auth/logout': 'logout',
  'GET /auth/me': 'me',
  'GET /api/registry/units': 'listUnits',
  'GET /api/registry/units/{}': 'getUnit',
  'GET /api/registry/persons': 'listPersons',
  'POST /api/registry/persons': 'createPerson',
  'GET /api/registry/persons/{}': 'getPerson',
  'PATCH /api/registry/persons/{}': 'patchPerson',
  'POST /api/registry/persons/{}/close': 'closePerson',
  'GET /api/registry/groups': 'getGroups',
  // Records on a person file, movements, timeline, import/export.
  'GET /api/registry/persons/{}/determinations': 'listDeterminations',
  'POST /api/registry/persons/{}/determinations': 'createDetermination',
  'GET /api/registry/persons/{}/drug-tests': 'listDrugTests',
  'POST /api/registry/persons/{}/drug-tests': 'createDrugTest',
  'GET /api/registry/persons/{}/commitments': 'listCommitments',
  'POST /api/registry/persons/{}/commitments': 'createCommitment',
  'PUT /api/registry/persons/{}/commitments/{}/document': 'uploadCommitmentDocument',
  'GET /api/registry/persons/{}/commitments/{}/document': 'getCommitmentDocument',
  'GET /api/registry/persons/{}/checkins': 'listCheckins',
  'POST /api/registry/persons/{}/checkins': 'createCheckin',
  'GET /api/registry/persons/{}/movements': 'listPersonMovements',
  'POST /api/registry/persons/{}/movements': 'createMovement',
  'GET /api/registry/movements': 'listMovements',
  'POST /api/registry/movements/{}/acknowledge': 'acknowledgeMovement',
  'GET /api/registry/persons/{}/timeline': 'getTimeline',
  'POST /api/registry/persons/import': 'importPersons',
  'GET /api/registry/persons/import/{}': 'getImportJob',
  'GET /api/registry/persons/export': 'exportPersons',
  'GET /api/treatment/facilities': 'listFacilities',
  'GET /api/treatment/facilities/{}': 'getFacility',
  'GET /api/treatment/facilities/{}/occupancy': 'getOccupancy',
  'POST /api/treatment/facilities/{}/doses': 'recordDoseDay',
  'GET /api/treatment/episodes': 'listEpisodes',
  'POST /api/treatment/episodes': 'createEpisode',
  'GET /api/treatment/episodes/{}': 'getEpisode',
  'GET /api/treatment/episodes/{}/history': 'getEpisodeHistory',
  'POST /api/treatment/episodes/{}/admit': 'admitEpisode',
  'POST /api/treatment/episodes/{}/start': 'startEpisode',
  'POST /api/treatment/episodes/{}/complete': 'completeEpisode',
  'POST /api/treatment/episodes/{}/discharge': 'dischargeEpisode',
  'POST /api/treatment/episodes/{}/transfer': 'transferEpisode',
  'GET /api/treatment/episodes/{}/doses': 'listDoses',
  'POST /api/treatment/episodes/{}/doses': 'recordDose',
  'GET /api/treatment/flags': 'listFlags',
  'GET /api/aftercare/supervisors': 'listSupervisors',
};

export default defineConfig({
  input: './openapi.json',
  output: {
    path: './src/client',
    postProcess: [],
  },
  parser: {
    patch: {
      operations: (method, path, operation) => {
        const name = operationNames[`${method.toUpperCase()} ${path.replace(/\{[^}]*\}/g, '{}')}`];
        if (name) operation.operationId = name;
      },
    },
  },
  plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
});
