// CLI tests spawn the built CLI (lib/). `npm test` builds first; when vitest is run directly after an
// edit, rebuild here so that no test runs stale code.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir: string): number {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    latest = Math.max(latest, stat.isDirectory() ? newest(path) : stat.mtimeMs);
  }
  return latest;
}

export default function setup(): void {
  const root = join(import.meta.dirname, '..');
  const built = join(root, 'lib', 'manifest', 'compiled', 'default.cjs');
  if (!existsSync(built) || newest(join(root, 'src')) > statSync(built).mtimeMs) {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  }
}
