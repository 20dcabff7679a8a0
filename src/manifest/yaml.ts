/**
 * YAML documents with source positions. Every diagnostic inferctl prints points at a line and column
 * taken from the parsed source, never guessed.
 */
import jsyaml from 'js-yaml';
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
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
 * Parses every document of a YAML source. Empty documents (a trailing `---`, a file of comments) are
 * skipped; syntax errors are returned as problems, with the documents that did parse.
 *
 * @example const { documents, problems } = parseYaml('a: 1\n---\nb: 2\n');
 */
export function parseYaml(source: string): ParsedFile {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(source, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
  });
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problems: YamlProblem[] = [];
  const documents: ParsedDocument[] = [];
  // `parseAllDocuments` returns an EmptyStream (an array with no documents) for empty input.
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc: Document.Parsed, index) => {
    for (const error of doc.errors) {
      problems.push(describeError(source, doc, error.code, error.message, error.pos[0], at));
    }
    if (doc.errors.length > 0) return;
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      problems.push({
        code: 'yaml_alias_limit',
        message: `${firstLine((error as Error).message)} (inferctl refuses documents whose aliases expand more than ${MAX_ALIAS_COUNT} times)`,
        position: at(doc.contents.range?.[0] ?? 0),
      });
      return;
    }
    const root = doc.contents;
    const start = at(root.range?.[0] ?? 0);
    if (!isMap(root)) {
      problems.push({
        code: 'yaml_not_a_map',
        message: 'a manifest document must be a mapping (apiVersion, kind, metadata, spec)',
        position: start,
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

/**
 * The fast path: js-yaml (about ten times faster than `yaml` here; see the commit that added it) reads
 * the data, and `yaml` parses the file for positions only when a position is asked for — that is,
 * when there is something to report. Returns `undefined` whenever the careful path must decide:
 * a syntax error, a document that is not a mapping, or any alias to a collection (js-yaml expands
 * aliases without limit, so YAML bombs go to `yaml`, which counts them). Both use the YAML 1.2 core
 * schema, so they agree on what a scalar means (`2024-02-01` stays a string).
 */
export function parseYamlFast(source: string): ParsedFile | undefined {
  let values: unknown[];
  try {
    values = jsyaml.loadAll(source, undefined, { schema: jsyaml.CORE_SCHEMA });
  } catch {
    return undefined;
  }
  const seen = new Set<object>();
  for (const value of values) {
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) return undefined;
    if (sharesNodes(value, seen)) return undefined;
  }
  // Positions are needed only for diagnostics and for the few manifests a plan changes: each document is
  // parsed again with `yaml` on its own, on first use, so a large file is never parsed twice whole.
  const segments = documentSegments(source, values.length);
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
  const blank = (t: string) => t.split('\n').every((l) => /^\s*(#.*)?$/.test(l));
  if (segments.length > 1 && blank(first.text)) segments.shift();
  if (segments.length > 0 && segments.length !== expected) {
    // js-yaml gives no document for a trailing empty segment only in some layouts; align or give up.
    const last = segments[segments.length - 1]!;
    if (segments.length === expected + 1 && blank(last.text)) segments.pop();
  }
  return segments.length === expected ? segments.map(({ text, line }) => ({ text, line })) : undefined;
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

/** Does the object graph reach any collection twice (an alias), or `seen` something again? */
function sharesNodes(root: object, seen: Set<object>): boolean {
  const stack: object[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (seen.has(node)) return true;
    seen.add(node);
    for (const child of Object.values(node))
      if (child !== null && typeof child === 'object') stack.push(child as object);
  }
  return false;
}
