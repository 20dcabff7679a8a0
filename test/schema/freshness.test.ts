import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaFiles } from '../../src/schema/files.js';
import { ROOT } from '../helpers/cli.js';

const dir = join(ROOT, 'schemas');

function listed(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(root, path).split('\\').join('/'));
    }
  };
  walk(root);
  return out.sort();
}

describe('committed schemas', () => {
  const generated = schemaFiles();

  it('are exactly the generated set (run `npm run schemas` after changing the catalog)', () => {
    const committed = listed(dir).filter((f) => f.endsWith('.schema.json'));
    expect(committed).toEqual([...generated.keys()].sort());
  });

  it.each([...generated.keys()])('%s is up to date', (file) => {
    expect(readFileSync(join(dir, file), 'utf8'), `schemas/${file} is stale: run npm run schemas`).toBe(
      generated.get(file),
    );
  });

  it('has one schema per service × task type', () => {
    expect([...generated.keys()].filter((f) => f.startsWith('services/')).length).toBeGreaterThan(60);
  });
});
