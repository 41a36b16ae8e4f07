import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who may talk to the browser-mode server. It listens on 127.0.0.1 only, and on top of that:
 * - a random per-launch token, shown once in the URL (?token=) and then kept in an HttpOnly,
 *   SameSite=Strict cookie, so other local users and web pages cannot call the API;
 * - the Host header must name the loopback address and our port, which defeats DNS rebinding
 *   (a hostile name resolving to 127.0.0.1 still sends its own name as Host);
 * - an Origin or Sec-Fetch-Site header, when the browser sends one, must be our own origin,
 *   so no other site can drive the API from a user's browser (cross-site request forgery).
 * References: https://owasp.org/www-community/attacks/csrf,
 * https://developer.mozilla.org/docs/Web/HTTP/Headers/Sec-Fetch-Site
 */
export interface Gate {
  readonly token: string;
  readonly cookieName: string;
  /** null when the request may proceed, else the status and a reason */
  check(req: IncomingMessage): { status: number; code: string; message: string } | null;
  /** whether the request carries the token (cookie or Authorization: Bearer) */
  authorized(req: IncomingMessage): boolean;
  tokenMatches(candidate: string | null): boolean;
  setCookie(): string;
}

export function createGate(port: number, token = randomBytes(32).toString('hex')): Gate {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origins = new Set([...hosts].map((h) => `http://${h}`));
  // Cookies are not scoped by port: the name carries it, so two servers do not overwrite each other.
  const cookieName = `sonoseg_${port}`;
  const tokenMatches = (candidate: string | null): boolean => {
    if (!candidate || candidate.length !== token.length) return false;
    return timingSafeEqual(Buffer.from(candidate), Buffer.from(token));
  };
  return {
    token,
    cookieName,
    tokenMatches,
    check(req) {
      if (!hosts.has(req.headers.host ?? '')) {
        return { status: 421, code: 'FORBIDDEN_HOST', message: 'This server answers only to 127.0.0.1 and localhost.' };
      }
      const origin = req.headers.origin;
      if (origin !== undefined && !origins.has(origin)) {
        return { status: 403, code: 'FORBIDDEN_ORIGIN', message: 'Requests from other sites are refused.' };
      }
      if (req.headers['sec-fetch-site'] === 'cross-site') {
        return { status: 403, code: 'FORBIDDEN_ORIGIN', message: 'Requests from other sites are refused.' };
      }
      return null;
    },
    authorized(req) {
      const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null;
      return tokenMatches(bearer) || tokenMatches(readCookie(req.headers.cookie, cookieName));
    },
    setCookie: () => `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
  };
}

function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}
