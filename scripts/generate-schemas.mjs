// Writes schemas/ from the catalog (run through `npm run schemas`). Removes files it no longer generates.
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaFiles } from '../lib/schema/files.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas');
const files = schemaFiles();
const existing = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else existing.push(relative(root, path).split('\\').join('/'));
  }
};
mkdirSync(root, { recursive: true });
walk(root);
for (const stale of existing.filter((f) => !files.has(f) && f.endsWith('.schema.json')))
  rmSync(join(root, stale));
for (const [path, text] of files) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}
process.stdout.write(`wrote ${files.size} schema files to schemas/\n`);
