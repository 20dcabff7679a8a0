// examples/workflows/ are copied by users as they are: each must be valid YAML, use only inputs and
// outputs action.yml declares (with the required ones given), and ask for the permissions its job needs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './run-action.js';

interface ActionYaml {
  runs: { using: string; main: string };
  inputs: Record<string, { required?: boolean; default?: string; description?: string }>;
  outputs: Record<string, { description?: string }>;
}
interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
}
interface Job {
  permissions?: Record<string, string>;
  steps: Step[];
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  jobs: Record<string, Job>;
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYaml;
const dir = join(ROOT, 'examples', 'workflows');
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
const load = (file: string) => {
  const text = readFileSync(join(dir, file), 'utf8');
  return { text, workflow: parse(text, { strict: true, uniqueKeys: true }) as Workflow };
};
const isInferctl = (s: Step) => /(^|\/)inferctl(@|$)/.test(s.uses ?? '');

describe('action.yml', () => {
  it('runs the committed bundle on node24, and documents every input and output', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    for (const [name, input] of Object.entries(action.inputs)) expect(input.description, name).toBeTruthy();
    for (const [name, output] of Object.entries(action.outputs))
      expect(output.description, name).toBeTruthy();
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining([
        'command',
        'paths',
        'cluster',
        'url',
        'api-key',
        'cloud-id',
        'ca-cert',
        'prune',
        'allow-disruption',
        'github-token',
        'comment',
        'fail-on-drift',
        'expected-checksum',
      ]),
    );
    expect(Object.keys(action.outputs).sort()).toEqual([
      'checksum',
      'drifted',
      'has-changes',
      'plan-json',
      'summary',
    ]);
  });
});

describe('examples/workflows', () => {
  it('has the four documented workflows', () => {
    expect(files.sort()).toEqual([
      'apply-on-merge.yml',
      'drift-nightly.yml',
      'multi-cluster.yml',
      'plan-on-pull-request.yml',
    ]);
  });

  for (const file of files) {
    describe(file, () => {
      const { text, workflow } = load(file);
      const jobs = Object.entries(workflow.jobs);
      const steps = jobs.flatMap(([, job]) => job.steps);

      it('is commented for whoever copies it, and uses the Action', () => {
        expect(text.startsWith('# inferctl')).toBe(true);
        expect(text).toMatch(/Copy to \.github\/workflows\//);
        expect(steps.filter(isInferctl).length).toBeGreaterThan(0);
      });

      it('passes only inputs action.yml declares, and the required ones', () => {
        for (const step of steps.filter(isInferctl)) {
          for (const key of Object.keys(step.with ?? {}))
            expect(Object.keys(action.inputs), `${file}: with.${key}`).toContain(key);
          for (const [name, input] of Object.entries(action.inputs))
            if (input.required) expect(step.with, `${file}: ${name} is required`).toHaveProperty(name);
          expect(['plan', 'apply', 'drift']).toContain(step.with?.['command']);
        }
      });

      it('reads only outputs action.yml declares', () => {
        const ids = new Set(
          steps
            .filter(isInferctl)
            .map((s) => s.id)
            .filter(Boolean),
        );
        for (const m of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
          if (!ids.has(m[1]!)) continue;
          expect(Object.keys(action.outputs), `${file}: ${m[0]}`).toContain(m[2]);
        }
      });

      it('asks for the permissions its commands need, and no write access to contents', () => {
        for (const [name, job] of jobs) {
          const permissions = { ...workflow.permissions, ...job.permissions };
          expect(permissions['contents'], `${file}/${name}`).toBe('read');
          for (const step of job.steps.filter(isInferctl)) {
            const command = step.with?.['command'];
            if (command === 'plan') expect(permissions['pull-requests'], `${file}/${name}`).toBe('write');
            if (command === 'drift') expect(permissions['issues'], `${file}/${name}`).toBe('write');
          }
        }
      });

      it('never lets two applies of one cluster run at once, nor cancels one halfway', () => {
        for (const [name, job] of jobs) {
          if (!job.steps.filter(isInferctl).some((s) => s.with?.['command'] === 'apply')) continue;
          const concurrency = job.concurrency ?? workflow.concurrency;
          expect(concurrency?.group, `${file}/${name}`).toMatch(/apply/);
          expect(concurrency?.['cancel-in-progress'], `${file}/${name}`).toBe(false);
        }
      });

      it('gives secrets from secrets, never literally', () => {
        for (const step of steps.filter(isInferctl)) {
          const key = step.with?.['api-key'];
          if (key !== undefined) expect(key).toMatch(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/);
        }
      });
    });
  }
});
