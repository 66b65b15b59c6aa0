import { inDashboardWords } from './dashboard-words';
/**
 * The one way the dashboard talks to segmint: the documented HTTP API of the server that served the
 * page, with the signed-in key as a Bearer token. Every failure becomes an ApiError carrying the API's
 * own `{ error, message, details }`, so pages can show the server's words next to what caused them.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /**
   * Whether the answer names `name` as the input at fault: `details.field` is `query.NAME` or
   * `body.NAME` (docs/api.md "Errors"), or a schema problem's field of the same kind.
   */
  names(name: string): boolean {
    const fields = [this.details?.field, ...(Array.isArray(this.details?.issues) ? this.details.issues.map((i: { field?: unknown }) => i?.field) : [])];
    return fields.some((f) => typeof f === 'string' && (f === name || f.endsWith(`.${name}`)));
  }
}

let currentKey: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** Sets the key sent with every request, and what to do when the server stops accepting it (401). */
export function configureApi(key: string | null, unauthorized?: () => void): void {
  currentKey = key;
  onUnauthorized = unauthorized ?? null;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export function apiUrl(path: string, query?: Query): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return path + (s ? `?${s}` : '');
}

function headers(extra?: Record<string, string>): Record<string, string> {
  return { ...(currentKey ? { authorization: `Bearer ${currentKey}` } : {}), ...extra };
}

async function failure(res: Response): Promise<ApiError> {
  let body: { error?: string; message?: string; details?: Record<string, unknown> } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // not JSON: a proxy or a crash; described below by the status
  }
  if (res.status === 401 && onUnauthorized) onUnauthorized();
  const message = body.message ?? (res.status >= 500 ? 'The server failed to answer; see its log.' : `The server answered ${res.status} ${res.statusText}.`);
  // Command-line advice becomes the dashboard's action here, once for every page (dashboard-words.ts).
  return new ApiError(res.status, body.error ?? `http_${res.status}`, inDashboardWords(message), body.details);
}

async function request(method: string, path: string, init: { query?: Query; body?: unknown; signal?: AbortSignal; accept?: string; noneYet?: boolean } = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(apiUrl(path, init.query), {
      method,
      headers: headers({ ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.accept ? { accept: init.accept } : {}), ...(init.noneYet ? { prefer: 'none-yet' } : {}) }),
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'The segmint server cannot be reached. Is `segmint serve` still running?');
  }
  if (!res.ok) throw await failure(res);
  // "Nothing computed yet" (asked for with Prefer: none-yet, so the browser logs no failed request):
  // the same ApiError code the page would get from the 404.
  const noneYet = res.headers.get('segmint-none-yet');
  if (res.status === 204 && noneYet) throw new ApiError(204, noneYet, decodeURIComponent(res.headers.get('segmint-none-yet-message') ?? 'None yet.'));
  return res;
}

export const api = {
  async get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return (await (await request('GET', path, { query, noneYet: true, ...(signal ? { signal } : {}) })).json()) as T;
  },
  async post<T>(path: string, body: unknown = {}, signal?: AbortSignal): Promise<T> {
    return (await (await request('POST', path, { body, ...(signal ? { signal } : {}) })).json()) as T;
  },
  async patch<T>(path: string, body: unknown): Promise<T> {
    return (await (await request('PATCH', path, { body })).json()) as T;
  },
  async del(path: string): Promise<void> {
    await request('DELETE', path);
  },
  /** A text answer (a CSV file) with its headers: an export says what it wrote and left out in them (docs/api.md). */
  async textWithHeaders(path: string, query?: Query): Promise<{ text: string; headers: Headers }> {
    const res = await request('GET', path, { query });
    return { text: await res.text(), headers: res.headers };
  },
  /**
   * Follows a stream of Server-Sent Events (Accept: text/event-stream) with the key as a Bearer token,
   * which the browser's EventSource cannot send: calls `open` once the server accepted the stream, then
   * `event` with each event's name, id and parsed data until the server ends the stream (resolves) or
   * `signal` aborts (rejects with AbortError). A refused request rejects with its ApiError.
   */
  async stream(path: string, query: Query, on: { open(): void; event(event: string, id: string | undefined, data: unknown): void }, signal: AbortSignal): Promise<void> {
    const res = await request('GET', path, { query, signal, accept: 'text/event-stream' });
    on.open();
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      const blocks = buffer.split(/\r?\n\r?\n/);
      buffer = blocks.pop() ?? '';
      for (const block of blocks) {
        const fields: Record<string, string> = {};
        for (const line of block.split(/\r?\n/)) {
          if (line === '' || line.startsWith(':')) continue; // a comment: the server's keep-alive
          const colon = line.indexOf(':');
          const name = colon < 0 ? line : line.slice(0, colon);
          const v = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          fields[name] = name in fields && name === 'data' ? `${fields[name]}\n${v}` : v;
        }
        if (fields.data !== undefined) on.event(fields.event ?? 'message', fields.id, JSON.parse(fields.data));
      }
    }
  },
  /** Sends a file as the raw request body, reporting the share sent so far (0 to 1). */
  upload<T>(path: string, file: Blob, query: Query, onProgress: (share: number) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', apiUrl(path, query));
      for (const [k, v] of Object.entries(headers({ 'content-type': file.type === 'application/gzip' || file.type === 'application/x-gzip' ? 'application/gzip' : 'text/csv' }))) {
        xhr.setRequestHeader(k, v);
      }
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
      xhr.onerror = () => reject(new ApiError(0, 'network', 'The upload was interrupted: the server cannot be reached.'));
      xhr.onload = () => {
        let body: { error?: string; message?: string; details?: Record<string, unknown> } = {};
        try {
          body = JSON.parse(xhr.responseText) as typeof body;
        } catch {
          // described by the status below
        }
        if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
        else reject(new ApiError(xhr.status, body.error ?? `http_${xhr.status}`, body.message ?? `The server answered ${xhr.status}.`, body.details));
      };
      xhr.send(file);
    });
  },
};

/** The path segment of a name or id, escaped (segment names may hold any printable text). */
export const seg = (s: string): string => encodeURIComponent(s);
