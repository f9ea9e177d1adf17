/** RFC 9457 problem+json handling: typed error, bilingual titles and field-error mapping. */

export interface FieldErrorItem {
  field: string;
  message: string;
}

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string | null;
  instance?: string | null;
  errors?: FieldErrorItem[];
  /** Extension members (e.g. `candidates`, `existing_id`), when the body carries any. */
  extra?: Record<string, unknown>;
}

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'errors']);

/** Thrown by every call in src/api/endpoints.ts when the response is not 2xx (status 0 = network). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: ProblemBody | null;
  /** Seconds from the Retry-After header (429/503), when present. */
  readonly retryAfter: number | null;

  constructor(status: number, problem: ProblemBody | null, retryAfter: number | null = null) {
    super(problem?.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** Turns whatever the client produced for an error body into a ProblemBody (or null). */
export function toProblem(body: unknown, status: number): ProblemBody | null {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    const problem: ProblemBody = { status };
    if (typeof b.type === 'string') problem.type = b.type;
    if (typeof b.title === 'string') problem.title = b.title;
    if (typeof b.detail === 'string') problem.detail = b.detail;
    if (typeof b.instance === 'string') problem.instance = b.instance;
    // problem+json `errors`, or FastAPI's default `{"detail": [{loc, msg}]}` as a fallback.
    const rawErrors = Array.isArray(b.errors) ? b.errors : Array.isArray(b.detail) ? b.detail : null;
    if (rawErrors) {
      problem.errors = rawErrors
        .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object')
        .map((e) => ({
          field: typeof e.field === 'string' ? e.field : Array.isArray(e.loc) ? e.loc.join('.') : '',
          message: typeof e.message === 'string' ? e.message : typeof e.msg === 'string' ? e.msg : '',
        }));
    }
    const extra = Object.fromEntries(Object.entries(b).filter(([k]) => !PROBLEM_MEMBERS.has(k)));
    if (Object.keys(extra).length) problem.extra = extra;
    return problem;
  }
  if (typeof body === 'string' && body.trim()) return { status, title: body.trim() };
  return null;
}

/** The last segment of the problem `type` URI ("…/problems/possible-duplicate" → "possible-duplicate"). */
export function problemSlug(problem: ProblemBody | null | undefined): string {
  const type = problem?.type ?? '';
  return type.slice(type.lastIndexOf('/') + 1);
}

/** Whether `error` is an ApiError whose problem type ends with `slug`. */
export function isProblem(error: unknown, slug: string): error is ApiError {
  return isApiError(error) && problemSlug(error.problem) === slug;
}

export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * Picks one language from a bilingual title "Tiếng Việt / English".
 * Titles without the separator are returned unchanged.
 */
export function localizedTitle(title: string | undefined | null, lang: string): string {
  if (!title) return '';
  const idx = title.indexOf(' / ');
  if (idx < 0) return title;
  const vi = title.slice(0, idx).trim();
  const en = title.slice(idx + 3).trim();
  return lang.startsWith('en') ? en || vi : vi || en;
}

export type NamePath = (string | number)[];

export interface MappedFieldErrors {
  /** Ready for antd `form.setFields(...)`. */
  fields: { name: NamePath; errors: string[] }[];
  /** Messages that match no form field (show them above the form). */
  unmatched: string[];
}

/** "residence.unit_code" → ['residence', 'unit_code']; "items.0.x" → ['items', 0, 'x']; drops a leading "body". */
export function fieldToNamePath(field: string): NamePath {
  const parts = field
    .replace(/\[(\d+)\]/g, '.$1')
    .split(/[./]/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts[0] === 'body') parts.shift();
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

const key = (path: NamePath) => path.join('.');

function nearestKnownAncestor(path: NamePath, known: string[]): string | undefined {
  for (let n = path.length - 1; n > 0; n--) {
    const candidate = key(path.slice(0, n));
    if (known.includes(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Maps problem+json `errors[]` to antd Form fields.
 * `knownFields` are the form's field paths (dotted). An error for a parent object
 * (e.g. "residence") lands on its first known child; anything else is `unmatched`.
 * Without `knownFields`, every error with a non-empty field is mapped.
 */
export function problemToFieldErrors(
  problem: ProblemBody | null | undefined,
  knownFields?: readonly string[],
  /** When given, bilingual "vi / en" messages are reduced to that language. */
  lang?: string,
): MappedFieldErrors {
  const byField = new Map<string, { name: NamePath; errors: string[] }>();
  const unmatched: string[] = [];
  const known = knownFields?.map((f) => key(fieldToNamePath(f)));

  for (const err of problem?.errors ?? []) {
    const path = fieldToNamePath(err.field ?? '');
    const raw = err.message || problem?.title || '';
    const message = lang ? localizedTitle(raw, lang) : raw;
    if (path.length === 0) {
      if (message) unmatched.push(message);
      continue;
    }
    let target: string | undefined = key(path);
    if (known && !known.includes(target)) {
      const prefix = `${target}.`;
      // A parent object's error lands on its first known child; a list item's on the list.
      target = known.find((k) => k.startsWith(prefix)) ?? nearestKnownAncestor(path, known);
    }
    if (!target) {
      unmatched.push(message);
      continue;
    }
    const entry = byField.get(target) ?? { name: fieldToNamePath(target), errors: [] };
    if (message && !entry.errors.includes(message)) entry.errors.push(message);
    byField.set(target, entry);
  }
  return { fields: [...byField.values()], unmatched };
}
