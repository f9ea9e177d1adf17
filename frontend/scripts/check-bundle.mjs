// Fails when the first load (the entry script and every chunk index.html or the entry pulls in
// statically) ships more than the budget of gzipped JavaScript. Reads the build in dist/.
// Usage: node scripts/check-bundle.mjs [distDir] [budgetKB]
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = resolve(process.argv[2] ?? join(import.meta.dirname, '..', 'dist'));
const budgetKB = Number(process.argv[3] ?? 300);

export function firstLoadFiles(manifest, html) {
  const files = new Set();
  const visit = (key) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  // What index.html itself loads, in case a plugin adds scripts or preloads the manifest omits.
  for (const m of html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\bhref)="\/?([^"]+\.js)"/g)) files.add(m[1]);
  return [...files].filter((f) => f.endsWith('.js')).sort();
}

function main() {
  const manifestPath = join(dist, '.vite', 'manifest.json');
  const htmlPath = join(dist, 'index.html');
  if (!existsSync(manifestPath) || !existsSync(htmlPath)) {
    console.error(`check-bundle: no build in ${dist} (run npm run build with build.manifest on)`);
    process.exit(2);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const files = firstLoadFiles(manifest, readFileSync(htmlPath, 'utf8'));
  let total = 0;
  for (const file of files) {
    const size = gzipSync(readFileSync(join(dist, file))).length;
    total += size;
    console.log(`  ${(size / 1024).toFixed(1).padStart(7)} kB  ${file}`);
  }
  const totalKB = total / 1024;
  const verdict = totalKB <= budgetKB ? 'ok' : 'OVER BUDGET';
  console.log(`first load: ${totalKB.toFixed(1)} kB gzipped JS (budget ${budgetKB} kB): ${verdict}`);
  if (totalKB > budgetKB) process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
