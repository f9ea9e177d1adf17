import type { ProblemBody } from '../../api/problem';
import { problemSlug } from '../../api/problem';

/** A file the server thinks may be the same person (409 possible-duplicate). */
export interface DuplicateCandidate {
  id: string;
  full_name: string;
  date_of_birth: string | null;
  birth_year: number | null;
  residence_unit_code: string;
}

export interface PossibleDuplicate {
  candidates: DuplicateCandidate[];
  /** Matches outside the caller's jurisdiction: counted, not shown. */
  hidden: number;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** The candidates of a 409 `possible-duplicate`, or null for any other problem. */
export function possibleDuplicate(problem: ProblemBody | null | undefined): PossibleDuplicate | null {
  if (problem?.status !== 409 || problemSlug(problem) !== 'possible-duplicate') return null;
  const raw = problem.extra?.candidates;
  const candidates = (Array.isArray(raw) ? raw : [])
    .filter((c): c is Record<string, unknown> => !!c && typeof c === 'object' && typeof (c as { id?: unknown }).id === 'string')
    .map((c) => ({
      id: c.id as string,
      full_name: str(c.full_name) ?? '',
      date_of_birth: str(c.date_of_birth),
      birth_year: typeof c.birth_year === 'number' ? c.birth_year : null,
      residence_unit_code: str(c.residence_unit_code) ?? '',
    }));
  const hiddenRaw = problem.extra?.hidden_candidates;
  const hidden = typeof hiddenRaw === 'number' && hiddenRaw > 0 ? hiddenRaw : 0;
  return { candidates, hidden };
}

/** The visible file holding the same national id (409 duplicate-national-id), if any. */
export function duplicateNationalIdOwner(problem: ProblemBody | null | undefined): string | null {
  if (problem?.status !== 409 || problemSlug(problem) !== 'duplicate-national-id') return null;
  return str(problem.extra?.existing_id);
}
