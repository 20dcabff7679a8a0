#!/usr/bin/env node
// A real OpenSearch node with ML Commons, resolved from Maven Central (Apache-2.0 artifacts) and run
// as a child JVM on loopback. No distribution tarball and no container: Maven resolves the server
// jars (java/opensearch-node/server.pom.xml), the transport-netty4 module (netty.pom.xml) and the
// plugin zips opensearch-job-scheduler and opensearch-ml-plugin; this file lays out a node home,
// writes a single-node config and starts org.opensearch.bootstrap.OpenSearch.
//
// Used by the real-server test tier (test/real, `npm run test:real`) and by hand:
//   npm run opensearch:real -- --version 2.19.1 [--port 9250]
//
// Homes are cached per version under $INFERCTL_OPENSEARCH_CACHE (default: the OS temp dir); Maven
// caches downloads in ~/.m2 as usual, so a second start downloads nothing. Data is a fresh temp dir
// per start.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pomDir = path.join(here, '..', 'java', 'opensearch-node');

/**
 * Versions Maven Central serves the ML Commons plugin for (checked 2026-12 with
 * `mvn dependency:get -Dartifact=org.opensearch.plugin:opensearch-ml-plugin:<v>.0:zip`): 2.19.1.0 and
 * 3.6.0.0. The 3.x line needs Java 21+ and the java agent that replaced the Security Manager.
 */
export const REAL_VERSIONS = {
  '2.19.1': { java: 17, lib: [] },
  // The 3.x distribution ships Bouncy Castle FIPS in lib/ without the server's pom declaring it; ML
  // Commons' connector encryption needs it (NoClassDefFoundError org/bouncycastle/util/encoders/Base64).
  '3.6.0': { java: 21, agent: true, lib: ['org.bouncycastle:bc-fips:2.1.2'] },
};

export class RealNodeUnavailable extends Error {}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function javaMajor(javaBin) {
  const r = spawnSync(javaBin, ['-version'], { encoding: 'utf8' });
  const m = /version "(\d+)/.exec(`${r.stderr}${r.stdout}`);
  return m ? Number(m[1]) : 0;
}

/** The java binary for a version: JAVA_HOME, the default java, or a JDK under /usr/lib/jvm. */
export function findJava(minMajor) {
  const candidates = [];
  if (process.env.JAVA_HOME) candidates.push(path.join(process.env.JAVA_HOME, 'bin', 'java'));
  const def = which('java');
  if (def) candidates.push(def);
  if (fs.existsSync('/usr/lib/jvm')) {
    for (const d of fs.readdirSync('/usr/lib/jvm').sort().reverse()) {
      const bin = path.join('/usr/lib/jvm', d, 'bin', 'java');
      if (fs.existsSync(bin)) candidates.push(bin);
    }
  }
  for (const c of candidates) if (fs.existsSync(c) && javaMajor(c) >= minMajor) return c;
  throw new RealNodeUnavailable(
    `no Java ${minMajor}+ found (JAVA_HOME, PATH, /usr/lib/jvm); the real OpenSearch tier needs it`,
  );
}

function mvn(args) {
  const bin = which('mvn');
  if (!bin) throw new RealNodeUnavailable('Maven (mvn) is not on PATH; the real OpenSearch tier needs it');
  try {
    execFileSync(bin, ['-q', '-B', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const out = `${e.stdout ?? ''}${e.stderr ?? ''}`.split('\n').filter((l) => /ERROR/.test(l));
    throw new RealNodeUnavailable(`mvn ${args.join(' ')} failed:\n${out.slice(0, 5).join('\n')}`);
  }
}

const NETTY_POLICY = `grant {
  permission java.net.SocketPermission "*", "accept,connect,listen,resolve";
  permission java.lang.RuntimePermission "accessDeclaredMembers";
  permission java.lang.RuntimePermission "setContextClassLoader";
  permission java.lang.reflect.ReflectPermission "suppressAccessChecks";
  permission java.util.PropertyPermission "*", "read,write";
};
`;

/** Lays out (once per version) a node home: lib/, modules/transport-netty4, plugins/. */
export function prepareHome(version, cacheRoot = defaultCache()) {
  const home = path.join(cacheRoot, `opensearch-${version}`, 'home');
  if (fs.existsSync(path.join(home, '.complete'))) return home;
  fs.rmSync(home, { recursive: true, force: true });
  for (const d of ['bin', 'lib', 'modules/transport-netty4', 'plugins', 'config'])
    fs.mkdirSync(path.join(home, d), { recursive: true });
  const v = `-Dopensearch.version=${version}`;
  mvn([
    '-f',
    path.join(pomDir, 'server.pom.xml'),
    v,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${path.join(home, 'lib')}`,
  ]);
  alignLog4jCore(path.join(home, 'lib'));
  for (const artifact of REAL_VERSIONS[version]?.lib ?? []) {
    mvn(['dependency:copy', `-Dartifact=${artifact}`, `-DoutputDirectory=${path.join(home, 'lib')}`]);
  }
  if (REAL_VERSIONS[version]?.agent) {
    mvn([
      '-f',
      path.join(pomDir, 'agent.pom.xml'),
      v,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${path.join(home, 'agent')}`,
    ]);
  }
  const netty = path.join(home, 'modules', 'transport-netty4');
  mvn([
    '-f',
    path.join(pomDir, 'netty.pom.xml'),
    v,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${netty}`,
  ]);
  // A module may not hold a jar the server already has (jar hell): drop what lib/ provides.
  const artifactOf = (f) => f.replace(/-\d[\w.-]*\.jar$/, '');
  const inLib = new Set(fs.readdirSync(path.join(home, 'lib')).map(artifactOf));
  for (const f of fs.readdirSync(netty)) if (inLib.has(artifactOf(f))) fs.rmSync(path.join(netty, f));
  fs.writeFileSync(
    path.join(netty, 'plugin-descriptor.properties'),
    [
      'description=Netty 4 based transport implementation',
      `version=${version}`,
      'name=transport-netty4',
      `classname=${nettyPluginClass(path.join(netty, `transport-netty4-client-${version}.jar`))}`,
      'java.version=11',
      `opensearch.version=${version}`,
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(netty, 'plugin-security.policy'), NETTY_POLICY);
  const zips = path.join(home, '..', 'zips');
  fs.mkdirSync(zips, { recursive: true });
  for (const [artifact, dir] of [
    ['opensearch-job-scheduler', 'opensearch-job-scheduler'],
    ['opensearch-ml-plugin', 'opensearch-ml'],
  ]) {
    mvn([
      'dependency:copy',
      `-Dartifact=org.opensearch.plugin:${artifact}:${version}.0:zip`,
      `-DoutputDirectory=${zips}`,
    ]);
    const target = path.join(home, 'plugins', dir);
    fs.mkdirSync(target, { recursive: true });
    execFileSync('unzip', ['-q', '-o', path.join(zips, `${artifact}-${version}.0.zip`), '-d', target]);
  }
  execFileSync('chmod', ['-R', 'a+rX', path.join(home, '..')]);
  fs.writeFileSync(path.join(home, '.complete'), new Date().toISOString());
  return home;
}

/** The module's plugin class: Netty4Plugin up to 2.x, Netty4ModulePlugin in 3.x. */
function nettyPluginClass(jar) {
  const entries = execFileSync('unzip', ['-Z1', jar], { encoding: 'utf8' }).split('\n');
  const cls = entries.find((e) => /^org\/opensearch\/transport\/Netty4(Module)?Plugin\.class$/.test(e));
  if (!cls) throw new RealNodeUnavailable(`no Netty4 plugin class in ${jar}`);
  return cls.replace(/\.class$/, '').replaceAll('/', '.');
}

/**
 * The server declares log4j-api but not log4j-core (the distribution ships it); the core must be the
 * api's version (3.6.0 has log4j-api 2.25.3, 2.19.1 2.21.0), or logging fails with NoSuchMethodError.
 */
function alignLog4jCore(lib) {
  const files = fs.readdirSync(lib);
  const api = files.map((f) => /^log4j-api-(.+)\.jar$/.exec(f)?.[1]).find(Boolean);
  const core = files.find((f) => /^log4j-core-.+\.jar$/.test(f));
  if (!api || core === `log4j-core-${api}.jar`) return;
  if (core) fs.rmSync(path.join(lib, core));
  mvn([
    'dependency:copy',
    `-Dartifact=org.apache.logging.log4j:log4j-core:${api}`,
    `-DoutputDirectory=${lib}`,
  ]);
}

function defaultCache() {
  return process.env.INFERCTL_OPENSEARCH_CACHE ?? path.join(os.tmpdir(), 'inferctl-opensearch');
}

function config(port) {
  return [
    'cluster.name: inferctl-real',
    'node.name: real-1',
    'discovery.type: single-node',
    'network.host: 127.0.0.1',
    `http.port: ${port}`,
    `transport.port: ${port + 100}`,
    'cluster.routing.allocation.disk.threshold_enabled: false',
    'plugins.ml_commons.only_run_on_ml_node: false',
    'plugins.ml_commons.native_memory_threshold: 100',
    'plugins.ml_commons.jvm_heap_memory_threshold: 100',
    'plugins.ml_commons.connector.private_ip_enabled: true',
    'plugins.ml_commons.trusted_connector_endpoints_regex: ["^http://127\\\\.0\\\\.0\\\\.1(:[0-9]+)?/.*$", "^https://.*$"]',
    '',
  ].join('\n');
}

const LOG4J = `status = error
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] %marker%m%n
rootLogger.level = warn
rootLogger.appenderRef.console.ref = console
`;

async function waitFor(url, predicate, deadline, child) {
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`OpenSearch exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      const body = await res.text();
      last = `${res.status} ${body.slice(0, 200)}`;
      if (predicate(res.status, body)) return body;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${url} (last: ${last})`);
}

/**
 * Starts a node; resolves once `GET /` answers and the ML plugin is loaded. Returns its URL, how long
 * the start took and `stop()`.
 */
export async function startRealOpenSearch({
  version = '2.19.1',
  port = 9250,
  timeoutMs = 180_000,
  log,
} = {}) {
  const spec = REAL_VERSIONS[version];
  if (!spec)
    throw new RealNodeUnavailable(
      `no ML Commons plugin on Maven Central for ${version}; known: ${Object.keys(REAL_VERSIONS).join(', ')}`,
    );
  const java = findJava(spec.java);
  const home = prepareHome(version);
  const run = fs.mkdtempSync(path.join(os.tmpdir(), `inferctl-os-${version}-`));
  const conf = path.join(run, 'config');
  for (const d of [conf, path.join(run, 'data'), path.join(run, 'logs'), path.join(run, 'tmp')])
    fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(
    path.join(conf, 'opensearch.yml'),
    `${config(port)}path.data: ${path.join(run, 'data')}\npath.logs: ${path.join(run, 'logs')}\n`,
  );
  fs.writeFileSync(path.join(conf, 'log4j2.properties'), LOG4J);
  fs.writeFileSync(path.join(conf, 'jvm.options'), '');
  const args = [
    ...(spec.agent ? [`-javaagent:${path.join(home, 'agent', `opensearch-agent-${version}.jar`)}`] : []),
    '-Xms512m',
    '-Xmx512m',
    '-XX:+UseSerialGC',
    '-Dlog4j2.disable.jmx=true',
    `-Dopensearch.path.home=${home}`,
    `-Dopensearch.path.conf=${conf}`,
    '-Dopensearch.distribution.type=tar',
    '-Dopensearch.bundled_jdk=false',
    `-Djava.io.tmpdir=${path.join(run, 'tmp')}`,
    '-cp',
    `${path.join(home, 'lib')}/*`,
    'org.opensearch.bootstrap.OpenSearch',
  ];
  // OpenSearch refuses to run as root; drop to nobody when we are root (CI containers).
  let cmd = java;
  let argv = args;
  if (process.getuid?.() === 0) {
    execFileSync('chown', ['-R', '65534:65534', run]);
    execFileSync('chmod', ['a+rx', run]);
    cmd = 'setpriv';
    argv = ['--reuid=65534', '--regid=65534', '--clear-groups', 'env', `HOME=${run}`, java, ...args];
  }
  const started = Date.now();
  const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const keep = (chunk) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
    log?.(chunk.toString());
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => {
        const t = setTimeout(() => (child.kill('SIGKILL'), r()), 20_000);
        child.once('exit', () => (clearTimeout(t), r()));
      });
    }
    fs.rmSync(run, { recursive: true, force: true });
  };
  try {
    const deadline = started + timeoutMs;
    const root = JSON.parse(await waitFor(`${url}/`, (s) => s === 200, deadline, child));
    await waitFor(
      `${url}/_cat/plugins?format=json`,
      (s, b) => s === 200 && b.includes('opensearch-ml'),
      deadline,
      child,
    );
    await waitFor(`${url}/_plugins/_ml/stats`, (s) => s === 200, deadline, child);
    return { url, version: root.version.number, startMs: Date.now() - started, pid: child.pid, stop };
  } catch (e) {
    await stop();
    throw new Error(`${e.message}\n--- node output (tail) ---\n${output.join('').slice(-4000)}`);
  }
}

async function main(argv) {
  const opts = { version: '2.19.1', port: 9250 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--version') opts.version = argv[++i];
    else if (argv[i] === '--port') opts.port = Number(argv[++i]);
    else if (argv[i] === '--help' || argv[i] === '-h') {
      console.log('usage: npm run opensearch:real -- [--version 2.19.1|3.6.0] [--port 9250]');
      return;
    }
  }
  const node = await startRealOpenSearch({ ...opts, log: (s) => process.stderr.write(s) });
  console.log(
    `OpenSearch ${node.version} with ML Commons at ${node.url} (started in ${node.startMs} ms); Ctrl-C stops it`,
  );
  const bye = () => node.stop().then(() => process.exit(0));
  process.on('SIGINT', bye);
  process.on('SIGTERM', bye);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`opensearch:real: ${e.message}`);
    process.exit(e instanceof RealNodeUnavailable ? 2 : 1);
  });
}
