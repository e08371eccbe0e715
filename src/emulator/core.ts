import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { emulatorClient } from '../config/intuit.ts';
import type { RealmKind } from './realm-kind.ts';
import { behaviourFrom, type BehaviourInput, type RealmBehaviour } from './behaviour.ts';
import { deserializeRealm, newRealmId, type Realm, serializeRealm, type SerializedRealm } from './realm.ts';
import { seedRealm } from './seed.ts';
import { Throttle } from './throttle.ts';
import { TokenStore, type TokenState } from './oauth/tokens.ts';
import type { FaultRule } from './control/fault-rules.ts';
import { WebhookNotifier } from './webhooks/notifier.ts';

export interface EmulatorOptions extends BehaviourInput {
  /** Added to every API answer (default 0). */
  latencyMs?: number;
  /** `/connect/oauth2` redirects at once with the default realm. */
  autoConsent?: boolean;
  /** QBO throttles on (default true); `--no-limits` → false. */
  limits?: boolean;
  clientId?: string;
  clientSecret?: string;
  /** Registered redirect URIs (exact match). When absent: any http(s) URI on localhost/127.0.0.1/[::1]. */
  redirectUris?: string[];
  /** Keeps data across restarts. */
  stateFile?: string;
  /** Base clock; the control endpoint advances on top of it. */
  now?: () => number;
  // From BehaviourInput, the harsh switches for every realm (src/emulator/behaviour.ts; defaults as Intuit documents):
  // acceptDuplicateDocNumbers, requestIdTtlSeconds (0 = not remembered), queryLagMs.
  /** Webhook endpoint for every realm (`--webhook-url`); per realm through `POST /_emulator/realms/{id}/webhooks`. */
  webhookUrl?: string;
  /** Its verifier token (`--webhook-verifier`): the HMAC key of `intuit-signature`. */
  webhookVerifier?: string;
  /** Compresses Intuit's 20/30/50-minute retry back-off (`--webhook-backoff-scale`, e.g. 0.001). */
  webhookBackoffScale?: number;
}

export const DEFAULT_REALM_NAME = 'Sandbox Company_US_1';

export interface Counters {
  requests: number;
  throttled: number;
  faultsInjected: number;
  oauthRequests: number;
}

interface PersistedState {
  version: 1;
  defaultRealmId: string;
  clockOffsetMs: number;
  realms: SerializedRealm[];
  tokens: TokenState;
}

/** Everything an emulator instance knows; routes read and change it, one request at a time. */
export class EmulatorCore {
  readonly latencyMs: number;
  readonly autoConsent: boolean;
  readonly limits: boolean;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[] | undefined;
  readonly stateFile: string | undefined;
  /** What every new realm (the default one included) starts with; `POST /_emulator/realms` may override it. */
  readonly realmBehaviour: Readonly<RealmBehaviour>;
  /** Writes accepted but applied later (fault rule `commitDelayMs`); cleared on reset and close. */
  readonly delayedCommits = new Set<NodeJS.Timeout>();
  private readonly baseNow: () => number;

  clockOffsetMs = 0;
  realms = new Map<string, Realm>();
  tokens = new TokenStore();
  throttle = new Throttle();
  faultRules: FaultRule[] = [];
  readonly webhooks: WebhookNotifier;
  counters: Counters = { requests: 0, throttled: 0, faultsInjected: 0, oauthRequests: 0 };
  defaultRealmId: string;
  private saveTimer: NodeJS.Timeout | undefined;
  private dirty = false;

  constructor(opts: EmulatorOptions = {}) {
    this.latencyMs = opts.latencyMs ?? 0;
    this.autoConsent = opts.autoConsent ?? false;
    this.limits = opts.limits ?? true;
    this.clientId = opts.clientId ?? emulatorClient.id;
    this.clientSecret = opts.clientSecret ?? emulatorClient.secret;
    this.redirectUris = opts.redirectUris;
    this.stateFile = opts.stateFile;
    this.baseNow = opts.now ?? Date.now;
    this.realmBehaviour = Object.freeze(behaviourFrom(opts));
    this.webhooks = new WebhookNotifier({
      ...(opts.webhookUrl !== undefined ? { url: opts.webhookUrl } : {}),
      ...(opts.webhookVerifier !== undefined ? { verifier: opts.webhookVerifier } : {}),
      ...(opts.webhookBackoffScale !== undefined ? { backoffScale: opts.webhookBackoffScale } : {}),
    });
    const loaded = this.stateFile && existsSync(this.stateFile) ? this.load(this.stateFile) : undefined;
    this.defaultRealmId = loaded ?? newRealmId();
    if (!loaded) this.addRealm(DEFAULT_REALM_NAME, this.defaultRealmId);
  }

  now(): number {
    return this.baseNow() + this.clockOffsetMs;
  }

  addRealm(name: string, id: string = newRealmId(), kind?: RealmKind, behaviour: BehaviourInput = {}): Realm {
    const realm = seedRealm(id, name, this.now(), kind);
    realm.behaviour = behaviourFrom(behaviour, this.realmBehaviour);
    this.realms.set(id, realm);
    this.changed();
    return realm;
  }

  /** Back to a fresh state; the default realm keeps its id so running clients stay pointed at it. */
  reset(): void {
    this.cancelDelayedCommits();
    this.clockOffsetMs = 0;
    this.realms.clear();
    this.tokens = new TokenStore();
    this.throttle.reset();
    this.faultRules = [];
    this.webhooks.reset();
    this.counters = { requests: 0, throttled: 0, faultsInjected: 0, oauthRequests: 0 };
    this.addRealm(DEFAULT_REALM_NAME, this.defaultRealmId);
  }

  /** Marks the state as changed; the state file is written at most every 200 ms and on close. */
  changed(): void {
    if (!this.stateFile) return;
    this.dirty = true;
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.flush();
    }, 200);
    this.saveTimer.unref();
  }

  /** Runs `apply` after `ms` (a write whose connection already dropped), unless the emulator is reset or closed first. */
  delayCommit(ms: number, apply: () => void): void {
    const timer = setTimeout(() => {
      this.delayedCommits.delete(timer);
      apply();
    }, ms);
    this.delayedCommits.add(timer);
  }

  cancelDelayedCommits(): void {
    for (const timer of this.delayedCommits) clearTimeout(timer);
    this.delayedCommits.clear();
  }

  flush(): void {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
    if (!this.stateFile || !this.dirty) return;
    this.dirty = false;
    const state: PersistedState = {
      version: 1,
      defaultRealmId: this.defaultRealmId,
      clockOffsetMs: this.clockOffsetMs,
      realms: [...this.realms.values()].map(serializeRealm),
      tokens: this.tokens.serialize(),
    };
    mkdirSync(dirname(this.stateFile), { recursive: true });
    // Write then rename, so a crash mid-write never leaves a truncated state file.
    const tmp = `${this.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
    renameSync(tmp, this.stateFile);
  }

  private load(file: string): string {
    const state = JSON.parse(readFileSync(file, 'utf8')) as PersistedState;
    if (state.version !== 1 || !Array.isArray(state.realms)) throw new Error(`${file}: not an emulator state file`);
    this.clockOffsetMs = state.clockOffsetMs;
    for (const r of state.realms) this.realms.set(r.id, deserializeRealm(r));
    this.tokens = TokenStore.restore(state.tokens);
    return state.defaultRealmId;
  }
}
