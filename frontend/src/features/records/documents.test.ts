import { describe, expect, it } from 'vitest';
import { DOCUMENT_MAX_BYTES, documentProblem } from './documents';

describe('documentProblem', () => {
  it('accepts PDF, JPEG and PNG up to 5 MB', () => {
    expect(documentProblem({ name: 'cam-ket.pdf', type: 'application/pdf', size: 1000 })).toBeNull();
    expect(documentProblem({ name: 'scan.JPG', type: '', size: DOCUMENT_MAX_BYTES })).toBeNull();
    expect(documentProblem({ name: 'x', type: 'image/png', size: 10 })).toBeNull();
  });
  it('refuses other types and larger files', () => {
    expect(documentProblem({ name: 'a.docx', type: 'application/msword', size: 10 })).toBe('type');
    expect(documentProblem({ name: 'a.pdf', type: 'application/pdf', size: DOCUMENT_MAX_BYTES + 1 })).toBe('size');
  });
});
