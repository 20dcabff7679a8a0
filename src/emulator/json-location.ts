/**
 * JSON with token positions, for errors Elasticsearch prefixes with the parser's location: `[line:column]` of the
 * token being read (Jackson's `getTokenLocation()`: 1-based line, 1-based column counted in bytes, since ES parses
 * UTF-8 bytes). Used for `strict_dynamic_mapping_exception` ("[1:9] mapping set to strict, …") and search-body
 * `parsing_exception` (`line`, `col`). The text must already be valid JSON (`JSON.parse` has accepted it).
 */
import type { JsonValue } from './types.js';

export type Located =
  | { readonly kind: 'object'; readonly at: number; readonly members: readonly LocatedMember[] }
  | { readonly kind: 'array'; readonly at: number; readonly items: readonly Located[] }
  | { readonly kind: 'scalar'; readonly at: number; readonly value: JsonValue };

export interface LocatedMember {
  readonly key: string;
  /** Offset of the field name token. */
  readonly keyAt: number;
  readonly value: Located;
}

/** Parses valid JSON text into a tree that keeps each token's character offset. */
export function locate(text: string): Located {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i] as string)) i++;
  };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++; // closing quote
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): Located => {
    ws();
    const at = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const members: LocatedMember[] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { kind: 'object', at, members };
      }
      for (;;) {
        ws();
        const keyAt = i;
        const key = str();
        ws();
        i++; // colon
        members.push({ key, keyAt, value: value() });
        ws();
        if (text[i++] === '}') return { kind: 'object', at, members };
      }
    }
    if (c === '[') {
      i++;
      const items: Located[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', at, items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i++] === ']') return { kind: 'array', at, items };
      }
    }
    if (c === '"') return { kind: 'scalar', at, value: str() };
    const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    const token = m?.[0] ?? '';
    i += token.length;
    return { kind: 'scalar', at, value: JSON.parse(token) as JsonValue };
  };
  return value();
}

/** Jackson's `line:column` of a character offset (column in UTF-8 bytes, 1-based). */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset; k++) {
    if (text[k] === '\n') {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, col: Buffer.byteLength(text.slice(lineStart, offset), 'utf8') + 1 };
}

/** `[line:col]` as XContentLocation.toString prints it. */
export function locationText(text: string, offset: number): string {
  const { line, col } = lineCol(text, offset);
  return `${line}:${col}`;
}
