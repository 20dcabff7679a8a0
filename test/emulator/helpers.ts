/** Shared helpers for the emulator tests: start on port 0, plain fetch calls, JSON bodies. */
import { startEmulator, type EmulatorOptions } from '../../src/emulator/index.js';

export interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

export interface Es {
  url: string;
  state: Awaited<ReturnType<typeof startEmulator>>['state'];
  req(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  close(): Promise<void>;
}

/** Plain fetch calls against a running emulator: JSON bodies in, parsed JSON (if any) out. */
export function requester(url: string): Es['req'] {
  return async (method, path, body, headers = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(url + path, init);
    const text = await res.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, headers: res.headers, body: parsed, text };
  };
}

/** Starts an emulator for a version on a random port. */
export async function es(esVersion: string, options: EmulatorOptions = {}): Promise<Es> {
  const running = await startEmulator({ port: 0, esVersion, ...options });
  return {
    url: running.url,
    state: running.state,
    close: () => running.close(),
    req: requester(running.url),
  };
}

/** The ES error envelope with one root cause. */
export function envelope(status: number, type: string, reason: string): unknown {
  return { error: { root_cause: [{ type, reason }], type, reason }, status };
}
