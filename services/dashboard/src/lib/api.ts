import { session } from './session';

/** An answer of the API that was not a success, with its sentence and stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown>,
  ) {
    super(message);
  }
}

type UnauthorizedHandler = (reason: string) => void;
let onUnauthorized: UnauthorizedHandler = () => undefined;

/** Who hears that the token stopped working (the app returns to the token prompt). */
export function whenUnauthorized(handler: UnauthorizedHandler): void {
  onUnauthorized = handler;
}

/** Turns a non-2xx response into an ApiError (and a 401 into a return to the token prompt). */
export async function failure(response: Response): Promise<ApiError> {
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // not JSON (a proxy's page): the status says enough
  }
  const message =
    typeof body['message'] === 'string'
      ? body['message']
      : `The server answered ${response.status} ${response.statusText}.`;
  const code = typeof body['code'] === 'string' ? body['code'] : '';
  const error = new ApiError(response.status, code, message, body);
  if (response.status === 401) onUnauthorized(message);
  return error;
}

/** A request with the session's token in the Authorization header (never in the URL). */
export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = session.token();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch {
    throw new ApiError(
      0,
      'NETWORK',
      'The gateway cannot be reached; check the connection and retry.',
      {},
    );
  }
  if (!response.ok) throw await failure(response);
  return response;
}

/** GET a JSON answer; 204 answers null. Asks for JSON, which routes that also serve CSV need. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T | null> {
  const response = await request(path, { signal, headers: { Accept: 'application/json' } });
  return response.status === 204 ? null : ((await response.json()) as T);
}

/** POST and read the JSON answer (if any). */
export async function postJson<T>(path: string, body?: BodyInit): Promise<T | null> {
  const response = await request(path, { method: 'POST', body });
  const text = await response.text();
  return text ? (JSON.parse(text) as T) : null;
}

/** The file name of a Content-Disposition header. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  return /filename="?([^";]+)"?/i.exec(disposition ?? '')?.[1] ?? fallback;
}

/**
 * Downloads a file the API serves: fetched with the Authorization header, handed to the browser
 * as an object URL (so the token never appears in a link), then released.
 */
export async function download(path: string, fallbackName: string): Promise<string> {
  const response = await request(path);
  const blob = await response.blob();
  const name = fileNameOf(response.headers.get('content-disposition'), fallbackName);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
