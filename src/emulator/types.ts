/**
 * The emulator's request/response values. The HTTP layer (`http.ts`) turns node's `IncomingMessage` into an
 * `EmuRequest` and writes an `EmuResponse` back; everything in between is pure functions of
 * `(state, request)`, so tests can call `handle()` without a socket.
 */

/** A request as the REST layer of Elasticsearch sees it. */
export interface EmuRequest {
  readonly method: string;
  /** The raw path, without the query string (`/_inference/x`). */
  readonly path: string;
  /** The URI as received, with the query string: ES quotes it in routing errors. */
  readonly uri: string;
  readonly query: Readonly<Record<string, string>>;
  /** Header names lower-cased. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body as text (undefined when there was none). */
  readonly body?: string | undefined;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface EmuResponse {
  readonly status: number;
  /** JSON body (serialised by the HTTP layer), raw text, or nothing (HEAD, OPTIONS). */
  readonly body?: JsonValue | undefined;
  readonly text?: string | undefined;
  readonly headers?: Readonly<Record<string, string>>;
  /** Server-sent events for the `_stream` APIs: one `data:` line each. */
  readonly events?: readonly JsonValue[];
}

/** Licence levels the emulator knows. */
export type License = 'basic' | 'trial' | 'platinum' | 'enterprise';
