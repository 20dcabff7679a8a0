import { readFileSync } from 'node:fs';

/** inferctl's version, from package.json (one level above lib/ and src/). */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
