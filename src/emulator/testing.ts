import { startEmulator, type EmulatorOptions, type RunningEmulator } from './index.ts';

/**
 * A started emulator with one connected app, for tests of ours and of other folders: it walks the
 * real OAuth code flow (auto-consent) and exchanges the code, as a client would.
 */
export interface ConnectedEmulator {
  emulator: RunningEmulator;
  url: string;
  realmId: string;
  accessToken: string;
  refreshToken: string;
  redirectUri: string;
  /** Calls `/v3/company/{realmId}{path}` with the bearer token. */
  api: RealmApi;
  control(path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/** Calls `/v3/company/{realmId}{path}` of one realm with its bearer token. */
export type RealmApi = (
  path: string,
  init?: { method?: string; body?: unknown; headers?: Record<string, string> },
) => Promise<{ status: number; headers: Headers; body: unknown }>;

export const TEST_CLIENT = { id: 'emulator-client', secret: 'emulator-secret' } as const;

export function basicAuth(id: string = TEST_CLIENT.id, secret: string = TEST_CLIENT.secret): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export async function authorizationCode(url: string, redirectUri: string, state = 'st'): Promise<URL> {
  const q = new URLSearchParams({ client_id: TEST_CLIENT.id, redirect_uri: redirectUri, response_type: 'code', scope: 'com.intuit.quickbooks.accounting', state });
  const res = await fetch(`${url}/connect/oauth2?${q}`, { redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status} without a redirect`);
  return new URL(location);
}

export async function exchangeCode(url: string, code: string, redirectUri: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/oauth2/v1/tokens/bearer`, {
    method: 'POST',
    headers: { authorization: basicAuth(), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }).toString(),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`token exchange answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/** Consents for a chosen realm through the consent form (POST /connect/oauth2), as a user picking a company does. */
export async function consentFor(url: string, redirectUri: string, realmId: string): Promise<URL> {
  const form = new URLSearchParams({
    client_id: TEST_CLIENT.id, redirect_uri: redirectUri, response_type: 'code', scope: 'com.intuit.quickbooks.accounting', state: 'st',
    email: 'demo@example.com', password: 'x', realmId,
  });
  const res = await fetch(`${url}/connect/oauth2`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`consent answered ${res.status} without a redirect`);
  return new URL(location);
}


function realmApi(url: string, realmId: string, token: () => string): RealmApi {
  return async (path, init = {}) => {
    const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    const res = await fetch(`${url}/v3/company/${realmId}${path}`, {
      method: init.method ?? (body === undefined ? 'GET' : 'POST'),
      headers: { authorization: `Bearer ${token()}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON (e.g. the 413 HTML page): keep the text.
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
}

/**
 * A new realm of the given kind (`POST /_emulator/realms` body, e.g. `{"country":"CA"}`) on a running test
 * emulator, with its own access token and an `api` helper bound to it.
 */
export async function connectedRealm(emu: ConnectedEmulator, realmBody: Record<string, unknown>): Promise<{ realmId: string; api: RealmApi }> {
  const created = await emu.control('/realms', realmBody);
  if (created.status !== 201) throw new Error(`realm creation answered ${created.status}: ${JSON.stringify(created.body)}`);
  const realmId = (created.body as { realmId: string }).realmId;
  const callback = await consentFor(emu.url, emu.redirectUri, realmId);
  const tokens = await exchangeCode(emu.url, callback.searchParams.get('code') ?? '', emu.redirectUri);
  const token = String(tokens.access_token);
  return { realmId, api: realmApi(emu.url, realmId, () => token) };
}

export async function connectedEmulator(opts: EmulatorOptions = {}): Promise<ConnectedEmulator> {
  const emulator = await startEmulator({ autoConsent: true, limits: false, ...opts });
  const redirectUri = 'http://localhost:9/cb';
  const callback = await authorizationCode(emulator.url, redirectUri);
  const tokens = await exchangeCode(emulator.url, callback.searchParams.get('code') ?? '', redirectUri);
  const realmId = callback.searchParams.get('realmId') ?? '';
  const self: ConnectedEmulator = {
    emulator, url: emulator.url, realmId, redirectUri,
    accessToken: String(tokens.access_token), refreshToken: String(tokens.refresh_token),
    api: realmApi(emulator.url, realmId, () => self.accessToken),
    async control(path, body) {
      const res = await fetch(`${emulator.url}/_emulator${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
      });
      return { status: res.status, body: (await res.json()) as unknown };
    },
    close: () => emulator.close(),
  };
  return self;
}

/** Connected emulators a test file opens, closed together by `closeAll` (in `after`). */
export function emulatorPool(): { open: (opts?: EmulatorOptions) => Promise<ConnectedEmulator>; closeAll: () => Promise<void> } {
  const opened: ConnectedEmulator[] = [];
  return {
    async open(opts = {}) {
      const emu = await connectedEmulator(opts);
      opened.push(emu);
      return emu;
    },
    async closeAll() {
      for (const emu of opened.splice(0)) await emu.close();
    },
  };
}
