import { describe, expect, it } from 'vitest';
import { firstLoadFiles } from './check-bundle.mjs';

describe('firstLoadFiles', () => {
  const manifest = {
    'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_react.js', '_shell.js'] },
    '_react.js': { file: 'assets/react.js' },
    '_shell.js': { file: 'assets/shell.js', imports: ['_react.js'], dynamicImports: ['src/pages/Big.tsx'] },
    'src/pages/Big.tsx': { file: 'assets/Big.js', isDynamicEntry: true, imports: ['_table.js'] },
    '_table.js': { file: 'assets/table.js' },
    'style.css': { file: 'assets/index.css' },
  };

  it('counts the entry and its static imports, not the lazy pages', () => {
    expect(firstLoadFiles(manifest, '')).toEqual(['assets/index.js', 'assets/react.js', 'assets/shell.js']);
  });

  it('adds what index.html preloads itself', () => {
    const html = '<link rel="modulepreload" crossorigin href="/assets/table.js">';
    expect(firstLoadFiles(manifest, html)).toContain('assets/table.js');
  });
});
