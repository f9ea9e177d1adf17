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
  'GET /api/treatment/facilities': 'listFacilities',
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
