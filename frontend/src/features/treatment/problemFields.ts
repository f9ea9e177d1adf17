import { fieldToNamePath, isApiError, localizedTitle, type NamePath } from '../../api/problem';

export interface SplitProblem {
  /** Errors on fields the form shows (for `form.setFields`). */
  fields: { name: NamePath; errors: string[] }[];
  /** The others, each with its field named ("Ngày: …"), to show above the form. */
  lines: string[];
}

/**
 * A problem+json's `errors[]` split between the form's own fields and lines that name their
 * field (a 409 or 422 on a field the dialog does not show must still say which one).
 */
export function splitProblem(error: unknown, known: readonly string[], lang: string, label: (field: string) => string): SplitProblem {
  const result: SplitProblem = { fields: [], lines: [] };
  if (!isApiError(error)) return result;
  for (const item of error.problem?.errors ?? []) {
    const key = fieldToNamePath(item.field ?? '').join('.');
    const message = localizedTitle(item.message || error.problem?.title, lang);
    if (known.includes(key)) {
      const entry = result.fields.find((f) => f.name.join('.') === key);
      if (entry) entry.errors.push(message);
      else result.fields.push({ name: fieldToNamePath(key), errors: [message] });
    } else {
      result.lines.push(key ? `${label(key)}: ${message}` : message);
    }
  }
  return result;
}
