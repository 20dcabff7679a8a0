/**
 * YAML documents with source positions. Every diagnostic inferctl prints points at a line and column
 * taken from the parsed source, never guessed.
 */
import jsyaml from 'js-yaml';
import {
  CST,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node,
} from 'yaml';

export interface Position {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
}

export interface ParsedDocument {
  /** Position of the document in its file, counting from 0 (documents separated by `---`). */
  readonly index: number;
  /** The document as plain JSON-like data (aliases expanded within limits). */
  readonly value: unknown;
  /** Where the document starts (computed on first use on the fast path). */
  readonly start: Position;
  /**
   * The position of the value (or, with `key: true`, of the key) at a JSON pointer path inside the document.
   * Falls back to the nearest existing ancestor, so a missing field points at the object that lacks it.
   */
  locate(path: readonly (string | number)[], options?: { key?: boolean }): Position;
}

export interface YamlProblem {
  readonly message: string;
  readonly position: Position;
  readonly code: 'yaml_syntax' | 'yaml_duplicate_key' | 'yaml_alias_limit' | 'yaml_not_a_map';
}

export interface ParsedFile {
  readonly documents: readonly ParsedDocument[];
  readonly problems: readonly YamlProblem[];
}

/** YAML bombs: the most alias expansions one document may make before it is refused. */
const MAX_ALIAS_COUNT = 100;

/**
 * The deepest nesting of mappings and sequences a document may have (a manifest needs about five). Deeper
 * documents are refused before anything recursive sees them: both parsers, the validator and
 * `JSON.stringify` recurse, and `yaml` needs seconds and gigabytes for a million `[`.
 */
export const MAX_NESTING = 64;

const nestingMessage = `nesting too deep: inferctl reads at most ${MAX_NESTING} levels of mappings and sequences inside each other`;

/**
 * Parses every document of a YAML source. Empty documents (a trailing `---`, a file of comments) are
 * skipped; syntax errors are returned as problems, with the documents that did parse.
 *
 * @example const { documents, problems } = parseYaml('a: 1\n---\nb: 2\n');
 */
export function parseYaml(source: string): ParsedFile {
  const lineCounter = new LineCounter();
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  // Checks on the text that must come before `yaml` sees it: control characters (a binary file) and
  // nesting so deep that parsing it would exhaust the stack or the memory.
  const refused = refuseText(source);
  if (refused) {
    return { documents: [], problems: [{ ...refused, position: positionAt(source, refused.offset) }] };
  }
  const docs = parseAllDocuments(source, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
    // YAML 1.2 core whatever a `%YAML 1.1` directive says, and no YAML 1.1 types (!!binary, !!set,
    // !!timestamp, merge keys): exactly what the fast path's js-yaml schema reads.
    schema: 'core',
    merge: false,
    resolveKnownTags: false,
  });
  const problems: YamlProblem[] = [];
  const documents: ParsedDocument[] = [];
  // `parseAllDocuments` returns an EmptyStream (an array with no documents) for empty input.
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc: Document.Parsed, index) => {
    const before = problems.length;
    // A shape the data cannot carry (too deep, keys that are not strings) is reported before anything
    // recursive (yaml's own `toJS`) walks the document.
    const shape = doc.contents ? shapeProblems(doc.contents, at) : [];
    const deep = shape.some((p) => p.message === nestingMessage);
    for (const error of doc.errors) {
      // yaml catches its own stack overflows as RESOURCE_EXHAUSTION: the nesting message says why.
      if (error.code === 'RESOURCE_EXHAUSTION') {
        if (!deep)
          problems.push({ code: 'yaml_syntax', message: nestingMessage, position: at(error.pos[0]) });
        continue;
      }
      problems.push(describeError(source, doc, error.code, error.message, error.pos[0], at));
    }
    for (const warning of doc.warnings) {
      if (warning.code === 'TAG_RESOLVE_FAILED') problems.push(tagProblem(source, warning.pos[0], at));
    }
    // With syntax errors, yaml's tree is partial: only its depth is worth reporting then.
    problems.push(...(doc.errors.length > 0 ? shape.filter((p) => p.message === nestingMessage) : shape));
    if (problems.length > before) return;
    if (doc.contents === null) return;
    const root = doc.contents;
    const start = at(root.range?.[0] ?? 0);
    if (isScalar(root) && root.value === null) {
      // An empty document (a trailing `---`, only comments) is skipped; a written `null` or `~` is a mistake.
      const [from, to] = root.range ?? [0, 0];
      if (to > from) {
        problems.push({
          code: 'yaml_not_a_map',
          message: `${notAMap}, not null`,
          position: start,
        });
      }
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      // A bomb is pointed at its first alias of a collection: that is where the expansion starts.
      const alias = firstCollectionAlias(doc);
      problems.push(toJsProblem(error, at(alias ?? root.range?.[0] ?? 0)));
      return;
    }
    if (!isMap(root)) {
      problems.push({
        code: 'yaml_not_a_map',
        message: `${notAMap}, not ${describeData(value)}`,
        position: start,
      });
      return;
    }
    // Aliases can nest what they point to: the expanded data is measured again.
    const tooDeep = deepestPath(value);
    if (tooDeep) {
      problems.push({
        code: 'yaml_syntax',
        message: nestingMessage,
        position: at(offsetOf(root, tooDeep, false)),
      });
      return;
    }
    documents.push({
      index,
      value,
      start,
      locate: (path, options) => at(offsetOf(root, path, options?.key ?? false)),
    });
  });
  return { documents, problems: dedupe(problems) };
}

const notAMap = 'a manifest document must be a mapping (apiVersion, kind, metadata, spec)';

function describeData(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'a string';
  return `${typeof value === 'number' ? 'a number' : typeof value === 'boolean' ? 'a boolean' : String(value)}`;
}

/** Offset of the first alias (in document order) that stands for a mapping or a list. */
function firstCollectionAlias(doc: Document.Parsed): number | undefined {
  let first: number | undefined;
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const node = stack.pop();
    if (isAlias(node)) {
      const target = node.resolve(doc);
      const offset = node.range?.[0];
      if (
        (isMap(target) || isSeq(target)) &&
        offset !== undefined &&
        (first === undefined || offset < first)
      ) {
        first = offset;
      }
    } else if (isMap(node)) {
      for (const pair of node.items) stack.push(pair.key, pair.value);
    } else if (isSeq(node)) {
      stack.push(...node.items);
    }
  }
  return first;
}

/** The problem for an error thrown by `toJS`: the alias limit, an alias before its anchor, the stack. */
function toJsProblem(error: unknown, position: Position): YamlProblem {
  const message = firstLine(error instanceof Error ? error.message : String(error));
  if (error instanceof RangeError) return { code: 'yaml_syntax', message: nestingMessage, position };
  if (/alias count/i.test(message)) {
    return {
      code: 'yaml_alias_limit',
      message: `aliases expand more than ${MAX_ALIAS_COUNT} times in this document (a "billion laughs" YAML bomb?); inferctl refuses it`,
      position,
    };
  }
  if (/unresolved alias/i.test(message)) {
    return {
      code: 'yaml_syntax',
      message: `${message}; anchors belong to their document: an alias cannot refer to an anchor in another document`,
      position,
    };
  }
  return { code: 'yaml_syntax', message, position };
}

/**
 * Problems of the node tree that no parser reports: nesting deeper than `MAX_NESTING` (reported once, at
 * the first collection too deep) and mapping keys that are not strings (`? [a, b]`, an alias to a
 * mapping, a null key), which both parsers would silently turn into strings — differently.
 */
function shapeProblems(root: Node, at: (offset: number) => Position): YamlProblem[] {
  const problems: YamlProblem[] = [];
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 1 }];
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > MAX_NESTING) {
      problems.push({ code: 'yaml_syntax', message: nestingMessage, position: at(node.range?.[0] ?? 0) });
      return problems;
    }
    if (isSeq(node)) {
      for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
      continue;
    }
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      const problem = keyProblem(key);
      if (problem) {
        const offset = key?.range?.[0] ?? (pair.value as Node | null)?.range?.[0] ?? node.range?.[0] ?? 0;
        problems.push({ code: 'yaml_syntax', message: problem, position: at(offset) });
      }
      stack.push({ node: pair.value, depth: depth + 1 });
    }
  }
  return problems;
}

function keyProblem(key: Node | null): string | undefined {
  const hint = 'mapping keys must be strings';
  if (isAlias(key)) return `${hint}: an alias (*${key.source}) cannot be a key`;
  if (isMap(key)) return `${hint}, not a mapping`;
  if (isSeq(key)) return `${hint}, not a list`;
  if (key === null || (isScalar(key) && key.value === null)) {
    return `${hint}: this key is empty or null (quote it, "null", if you mean the word)`;
  }
  return undefined;
}

/** The path to the first collection nested deeper than `MAX_NESTING` in plain data, if any. */
function deepestPath(value: unknown): (string | number)[] | undefined {
  const stack: { node: unknown; path: (string | number)[] }[] = [{ node: value, path: [] }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (path.length >= MAX_NESTING) return path;
    for (const [key, child] of Object.entries(node)) {
      if (child !== null && typeof child === 'object') {
        stack.push({ node: child, path: [...path, Array.isArray(node) ? Number(key) : key] });
      }
    }
  }
  return undefined;
}

/** An explicit tag neither parser resolves the same way (`!Ref`, `!!binary`, `!!js/function`, `!!set`). */
function tagProblem(source: string, offset: number, at: (offset: number) => Position): YamlProblem {
  // The warning points at the tagged node; the tag itself is the last `!…` token before it.
  const tagStart = source.lastIndexOf('!', offset);
  const from = tagStart >= 0 && source[tagStart - 1] === '!' ? tagStart - 1 : tagStart;
  const tag = from >= 0 ? (/^!!?[^\s,[\]{}]*/.exec(source.slice(from, from + 200))?.[0] ?? '!') : '!';
  return {
    code: 'yaml_syntax',
    message: `unsupported YAML tag ${tag}: inferctl reads plain data (strings, numbers, booleans, null, mappings and lists) and does not evaluate tags; remove it`,
    position: at(from >= 0 ? from : offset),
  };
}

/**
 * Refuses text no YAML parser should be given: a control character (YAML forbids them; a NUL means a
 * binary file) or flow collections, or compact `- - -` sequences, nested deeper than `MAX_NESTING`. The
 * nesting scan uses yaml's lexer (no recursion, no tree), and only when the text has enough `[`, `{` or
 * indicators on one line to nest that deep at all.
 */
function refuseText(
  source: string,
): { code: YamlProblem['code']; message: string; offset: number } | undefined {
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]/.exec(
    source,
  );
  if (control) {
    const code = control[0].charCodeAt(0);
    const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    return {
      code: 'yaml_syntax',
      message:
        code === 0
          ? 'a NUL character (byte 0) is not allowed in YAML: is this a binary file?'
          : `control character ${name} is not allowed in YAML (write it as an escape in a double-quoted string: "\\u${name.slice(2)}")`,
      offset: control.index,
    };
  }
  let openers = 0;
  for (let i = 0; i < source.length && openers <= MAX_NESTING; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) openers++;
  }
  if (openers <= MAX_NESTING && !COMPACT_NESTING.test(source)) return undefined;
  let offset = 0;
  let flow = 0;
  let inline = 0;
  for (const token of new Lexer().lex(source)) {
    const type = CST.tokenType(token);
    switch (type) {
      case 'flow-map-start':
      case 'flow-seq-start':
        flow++;
        break;
      case 'flow-map-end':
      case 'flow-seq-end':
        if (flow > 0) flow--;
        break;
      case 'seq-item-ind':
      case 'explicit-key-ind':
        if (flow === 0) inline++;
        break;
      case 'newline':
        inline = 0;
        break;
      case 'doc-start':
        flow = 0;
        break;
    }
    if (flow + inline > MAX_NESTING) return { code: 'yaml_syntax', message: nestingMessage, offset };
    // The lexer's control tokens (document and scalar markers) are not in the source.
    if (type !== 'doc-mode' && type !== 'scalar' && type !== 'flow-error-end') offset += token.length;
  }
  return undefined;
}

/** `- - - …` or `? ? ? …` on one line, deep enough to matter. */
const COMPACT_NESTING = new RegExp(`(?:[-?][ \\t]+){${MAX_NESTING}}`);

/** Line and column of an offset, without yaml's LineCounter (used before yaml parses anything). */
function positionAt(source: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Turns one of yaml's errors into a problem that names what is wrong where the author can fix it. */
function describeError(
  source: string,
  doc: Document.Parsed,
  code: string,
  message: string,
  offset: number,
  at: (offset: number) => Position,
): YamlProblem {
  if (code === 'DUPLICATE_KEY') {
    const first = firstOccurrence(doc.contents, offset);
    if (first) {
      const p = at(first.offset);
      return {
        code: 'yaml_duplicate_key',
        message: `duplicate key "${first.key}" (first at line ${p.line}, column ${p.column})`,
        position: at(offset),
      };
    }
    return { code: 'yaml_duplicate_key', message: firstLine(message), position: at(offset) };
  }
  const closer = /end with an? ([}\]])/.exec(message)?.[1];
  if (closer) {
    const opener = unclosedBracket(source, offset, closer === '}' ? '{' : '[');
    if (opener !== undefined) {
      const what = closer === '}' ? 'flow mapping' : 'flow sequence';
      return {
        code: 'yaml_syntax',
        message: `this ${closer === '}' ? '{' : '['} is never closed: a ${what} must end with ${closer} (lines inside it must be indented more than its key)`,
        position: at(opener),
      };
    }
  }
  return { code: 'yaml_syntax', message: firstLine(message), position: at(offset) };
}

/** The key whose duplicate sits at `offset`, and where it first appears in the same mapping. */
function firstOccurrence(root: unknown, offset: number): { key: string; offset: number } | undefined {
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (isMap(node)) {
      const pairs = node.items.filter((p) => isPair(p) && isScalar(p.key));
      const duplicate = pairs.find((p) => (p.key as Node).range?.[0] === offset);
      if (duplicate) {
        const key = String((duplicate.key as { value: unknown }).value);
        const first = pairs.find((p) => String((p.key as { value: unknown }).value) === key);
        if (first && first !== duplicate) return { key, offset: (first.key as Node).range?.[0] ?? offset };
      }
      for (const p of node.items) stack.push(isPair(p) ? p.value : p);
    } else if (isSeq(node)) {
      stack.push(...node.items);
    }
  }
  return undefined;
}

/** Offset of the last `opener` before `end` that is never closed (quotes and comments skipped). */
function unclosedBracket(source: string, end: number, opener: '{' | '['): number | undefined {
  const stack: { char: string; offset: number }[] = [];
  let quote: string | undefined;
  for (let i = 0; i < end && i < source.length; i++) {
    const c = source[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(source[i - 1]!))) {
      while (i < end && source[i] !== '\n') i++;
    } else if (c === '{' || c === '[') stack.push({ char: c, offset: i });
    else if ((c === '}' || c === ']') && stack.length) stack.pop();
  }
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.char === opener) return stack[i]!.offset;
  return undefined;
}

function dedupe(problems: YamlProblem[]): YamlProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.position.line}:${p.position.column}:${p.code}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function offsetOf(root: Node, path: readonly (string | number)[], key: boolean): number {
  let node: Node = root;
  let offset = root.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (!pair) return offset;
      const keyNode = pair.key as Node;
      if (last && key) return keyNode.range?.[0] ?? offset;
      const valueNode = pair.value as Node | null;
      if (!valueNode || !valueNode.range) return keyNode.range?.[0] ?? offset;
      node = valueNode;
      offset = valueNode.range[0];
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (!item || !item.range) return offset;
      node = item;
      offset = item.range[0];
    } else {
      return offset;
    }
  }
  return offset;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

/** Can this plain scalar be a number at all (a digit, sign or dot first)? Most scalars are words. */
function numeric(data: string): boolean {
  const c = data.charCodeAt(0);
  return (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
}

/**
 * js-yaml's reading of plain scalars made to match `yaml`'s YAML 1.2 core schema exactly: js-yaml's own
 * CORE_SCHEMA differs at the edges (`0b101` and `1e400` are numbers there and strings in `yaml`, or the
 * other way round). The patterns and conversions are yaml's (`yaml/dist/schema/core`).
 */
const CORE = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    new jsyaml.Type('tag:yaml.org,2002:null', {
      kind: 'scalar',
      resolve: (data: string) => data.length <= 4 && /^(?:~|[Nn]ull|NULL)?$/.test(data),
      construct: () => null,
    }),
    new jsyaml.Type('tag:yaml.org,2002:bool', {
      kind: 'scalar',
      resolve: (data: string) =>
        (data.length === 4 || data.length === 5) && /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(data),
      construct: (data: string) => data[0] === 't' || data[0] === 'T',
    }),
    new jsyaml.Type('tag:yaml.org,2002:int', {
      kind: 'scalar',
      resolve: (data: string) => numeric(data) && /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/.test(data),
      construct: (data: string) =>
        data.startsWith('0o')
          ? parseInt(data.slice(2), 8)
          : data.startsWith('0x')
            ? parseInt(data.slice(2), 16)
            : parseInt(data, 10),
    }),
    new jsyaml.Type('tag:yaml.org,2002:float', {
      kind: 'scalar',
      resolve: (data: string) =>
        numeric(data) &&
        /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/.test(
          data,
        ),
      construct: (data: string) =>
        /nan$/i.test(data)
          ? NaN
          : /inf$/i.test(data)
            ? data[0] === '-'
              ? -Infinity
              : Infinity
            : parseFloat(data),
    }),
  ],
});

/**
 * Text the fast path leaves to the careful one, because js-yaml would read it differently or without a
 * limit: tags (`!Ref`, `!!binary`), anchors' aliases (YAML bombs), directives, explicit keys (`? [a, b]`)
 * and flow collections used as keys (`[a, b]: 1`). A false alarm only costs time.
 */
const CAREFUL_SYNTAX = /(?:^|[\s,[{])[!*?]|^%|[\]}][ \t]*:(?:\s|$)/m;

/**
 * The fast path: js-yaml (about ten times faster than `yaml` here; see the commit that added it) reads
 * the data, and `yaml` parses the file for positions only when a position is asked for — that is,
 * when there is something to report. Returns `undefined` whenever the careful path must decide:
 * a syntax error, a document that is not a mapping, deep nesting, keys that are not strings, and any
 * of the syntax in `CAREFUL_SYNTAX`. Both read the YAML 1.2 core schema with the same patterns, so they
 * agree on what a scalar means (`2024-02-01` stays a string).
 */
export function parseYamlFast(source: string): ParsedFile | undefined {
  if (CAREFUL_SYNTAX.test(source)) return undefined;
  let values: unknown[];
  try {
    // `maxDepth` (js-yaml 4.1.1+, not yet in its types) counts scalars too: one more than the collections.
    values = jsyaml.loadAll(source, undefined, {
      schema: CORE,
      maxDepth: MAX_NESTING + 1,
    } as jsyaml.LoadOptions);
  } catch {
    return undefined;
  }
  const seen = new Set<object>();
  let empty = false;
  for (const value of values) {
    if (value === null || value === undefined) {
      empty = true;
      continue;
    }
    if (typeof value !== 'object' || Array.isArray(value)) return undefined;
    if (suspicious(value, seen)) return undefined;
  }
  // Positions are needed only for diagnostics and for the few manifests a plan changes: each document is
  // parsed again with `yaml` on its own, on first use, so a large file is never parsed twice whole.
  const segments = documentSegments(source, values.length);
  // js-yaml reads an empty document and a written `null` alike; the careful path tells them apart.
  if (
    empty &&
    values.some((v, i) => (v === null || v === undefined) && !(segments && blank(segments[i]!.text)))
  ) {
    return undefined;
  }
  let careful: ParsedFile | undefined;
  const carefulDocument = (index: number, ordinal: number): ParsedDocument | undefined => {
    const segment = segments?.[index];
    if (segment) return shifted(parseYaml(segment.text).documents[0], segment.line, index);
    careful ??= parseYaml(source);
    return careful.documents[ordinal];
  };
  const documents: ParsedDocument[] = [];
  values.forEach((value, index) => {
    if (value === null || value === undefined) return;
    const ordinal = documents.length;
    let parsed: ParsedDocument | undefined | null = null;
    const get = () => (parsed === null ? (parsed = carefulDocument(index, ordinal)) : parsed);
    documents.push({
      index,
      value,
      get start() {
        return get()?.start ?? { line: 1, column: 1 };
      },
      locate: (path, options) => get()?.locate(path, options) ?? { line: 1, column: 1 },
    });
  });
  return { documents, problems: [] };
}

/**
 * The text of each document and the line it starts on, split at `---` / `...` marker lines (at column 0 a
 * marker always ends a document: block scalars are indented). `undefined` when the split does not give
 * js-yaml's number of documents (directives, unusual layouts): then the whole file is parsed instead.
 */
function documentSegments(source: string, expected: number): { text: string; line: number }[] | undefined {
  const lines = source.split('\n');
  const segments: { text: string; line: number; markers: boolean }[] = [
    { text: '', line: 1, markers: false },
  ];
  let current: string[] = [];
  let startLine = 1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^---(?:[ \t\r]|$)/.test(line)) {
      segments[segments.length - 1]!.text = current.join('\n');
      // Content after the marker on the same line belongs to the new document: keep it, blanking the marker.
      current = [line.replace(/^---/, '   ')];
      startLine = i + 1;
      segments.push({ text: '', line: startLine, markers: true });
    } else if (/^\.\.\.(?:[ \t]|$)/.test(line)) {
      return undefined; // explicit document end: rare; let the careful parser decide
    } else {
      current.push(line);
    }
  }
  segments[segments.length - 1]!.text = current.join('\n');
  const first = segments[0]!;
  if (segments.length > 1 && blank(first.text)) segments.shift();
  if (segments.length > 0 && segments.length !== expected) {
    // js-yaml gives no document for a trailing empty segment only in some layouts; align or give up.
    const last = segments[segments.length - 1]!;
    if (segments.length === expected + 1 && blank(last.text)) segments.pop();
  }
  return segments.length === expected ? segments.map(({ text, line }) => ({ text, line })) : undefined;
}

/** Only blank lines and comments. */
function blank(text: string): boolean {
  return text.split('\n').every((l) => /^\s*(#.*)?$/.test(l));
}

/** A document parsed from a segment, with its positions moved to where the segment starts in the file. */
function shifted(
  document: ParsedDocument | undefined,
  firstLine: number,
  index: number,
): ParsedDocument | undefined {
  if (!document) return undefined;
  const move = (p: Position): Position => ({ line: p.line + firstLine - 1, column: p.column });
  return {
    index,
    value: document.value,
    start: move(document.start),
    locate: (path, options) => move(document.locate(path, options)),
  };
}

/**
 * Anything in js-yaml's data the careful path must judge: a collection reached twice (an alias), nesting
 * deeper than `MAX_NESTING`, or a key js-yaml made from something that is not a string (`null`, a list).
 */
function suspicious(root: object, seen: Set<object>): boolean {
  const stack: { node: object; depth: number }[] = [{ node: root, depth: 1 }];
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (seen.has(node) || depth > MAX_NESTING) return true;
    seen.add(node);
    const array = Array.isArray(node);
    for (const key of Object.keys(node)) {
      if (!array && (key === 'null' || key.includes(',') || key === '[object Object]')) return true;
      const child = (node as Record<string, unknown>)[key];
      if (child !== null && typeof child === 'object') stack.push({ node: child, depth: depth + 1 });
    }
  }
  return false;
}
