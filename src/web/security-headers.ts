import helmet from '@fastify/helmet';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Config } from '../config/index.ts';

/** Intuit's consent page (docs/qbo-behaviour.md §1.1): the one other site our forms lead to (via a 303). */
export const INTUIT_AUTHORIZE_ORIGIN = 'https://appcenter.intuit.com';

/** HSTS lifetime when the app is served over https: 180 days, as Intuit's own token endpoint sends. */
const HSTS_MAX_AGE_S = 180 * 24 * 60 * 60;

/**
 * Where forms may lead: this app and the QuickBooks consent page. `Refresh Token` posts to us and we answer with
 * a redirect to the authorize endpoint; browsers check `form-action` on that redirect too. In emulator mode the
 * consent page is the emulator's (its discovery document's origin).
 */
export function formActionOrigins(config: Pick<Config, 'publicUrl' | 'qbo'>): string[] {
  const authorize = config.qbo.env === 'emulator' ? new URL(config.qbo.discoveryUrl).origin : INTUIT_AUTHORIZE_ORIGIN;
  return [...new Set(["'self'", new URL(config.publicUrl).origin, authorize])];
}

export function cspDirectives(config: Pick<Config, 'publicUrl' | 'qbo'>, options: { inlineStyles?: boolean } = {}): Record<string, string[]> {
  return {
    defaultSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    scriptSrc: ["'self'"],
    styleSrc: options.inlineStyles ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
    formAction: formActionOrigins(config),
  };
}

/**
 * Security headers on every answer — pages, the API, 404s, error pages, assets and a mounted emulator — from
 * @fastify/helmet registered at the root (not header by header in each plugin, where a new route or the
 * not-found handler would miss them): `nosniff`, the CSP above, `X-Frame-Options: DENY`, a same-origin referrer
 * policy, and HSTS when PUBLIC_URL is https.
 */
export async function registerSecurityHeaders(app: FastifyInstance, config: Pick<Config, 'publicUrl' | 'qbo'>): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(config) },
    strictTransportSecurity: config.publicUrl.startsWith('https:') ? { maxAge: HSTS_MAX_AGE_S, includeSubDomains: false } : false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
}

/**
 * For a plugin whose pages carry their own `<style>` (the embedded emulator's consent and state pages): the same
 * headers with inline styles allowed. Register it in the plugin's parent scope before the plugin's routes.
 */
export function allowInlineStyles(app: FastifyInstance, config: Pick<Config, 'publicUrl' | 'qbo'>): void {
  const helmetOptions = { contentSecurityPolicy: { useDefaults: false, directives: cspDirectives(config, { inlineStyles: true }) } };
  app.addHook('onRoute', (route: RouteOptions) => {
    route.config = { ...route.config, helmet: helmetOptions } as NonNullable<typeof route.config>;
  });
}
