import type { FormInstance } from 'antd';
import { isApiError, localizedTitle, problemToFieldErrors } from '../../api/problem';

/**
 * Puts a failed write's field errors on the form fields and returns the messages to show
 * above the form (errors matching no field, else the problem title). Non-API errors and
 * problems without field errors return `[fallback(error)]`.
 */
export function applyServerErrors(
  form: FormInstance,
  error: unknown,
  knownFields: readonly string[],
  lang: string,
  fallback: (error: unknown) => string,
): string[] {
  if (isApiError(error) && error.problem?.errors?.length) {
    const mapped = problemToFieldErrors(error.problem, knownFields, lang);
    form.setFields(mapped.fields.map((f) => ({ name: f.name as never, errors: f.errors })));
    if (mapped.unmatched.length) return mapped.unmatched;
    if (mapped.fields.length) return [];
    const title = localizedTitle(error.problem.title, lang);
    return title ? [title] : [fallback(error)];
  }
  return [fallback(error)];
}
