/** Commitment document rules, as the server applies them (PDF/JPEG/PNG up to 5 MB). */
export const DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export const DOCUMENT_EXTENSIONS = ['.pdf', '.jpg', '.jpeg', '.png'] as const;
export const DOCUMENT_MAX_BYTES = 5 * 1024 * 1024;

export type DocumentProblem = 'type' | 'size' | null;

/** Why a file cannot be uploaded as a commitment document, or null when it can. */
export function documentProblem(file: { name: string; type?: string; size: number }): DocumentProblem {
  const typeOk =
    (DOCUMENT_TYPES as readonly string[]).includes(file.type ?? '') ||
    DOCUMENT_EXTENSIONS.some((ext) => file.name.toLowerCase().endsWith(ext));
  if (!typeOk) return 'type';
  if (file.size > DOCUMENT_MAX_BYTES) return 'size';
  return null;
}
