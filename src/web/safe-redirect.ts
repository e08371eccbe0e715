import { firstControlCharacter } from '../store/input/sanity.ts';

/** Where a redirect goes when the requested target is not a plain path of this site. */
export const DEFAULT_PAGE = '/sales-invoice-export';

const BASE = 'http://same-site.invalid';

/**
 * A same-site path to send the browser to (`next` after sign-in, `back` after the company switch, any other).
 * Refused, and replaced by the default page: anything but a string starting with one `/`; `//` or `/\` at the
 * start (another host to a browser); backslashes anywhere; control characters (browsers drop tab and newline,
 * so `/%09/evil.example` would become `//evil.example`, and CR/LF would break the Location header). What is
 * left is parsed as a URL against a fixed origin and must keep that origin; the answer is the re-encoded path,
 * query and fragment, so the Location header only ever carries printable ASCII.
 */
export function safeRedirectTarget(target: unknown, fallback: string = DEFAULT_PAGE): string {
  if (typeof target !== 'string' || target.length === 0 || target.length > 2048) return fallback;
  if (!target.startsWith('/') || target.startsWith('//')) return fallback;
  if (target.includes('\\') || firstControlCharacter(target, false)) return fallback;
  let url: URL;
  try {
    url = new URL(target, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE || url.pathname.startsWith('//')) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
