import type { Session } from 'electron';

/**
 * A Content Security Policy on every response the app loads: only our own scripts and styles, no
 * network. https://www.electronjs.org/docs/latest/tutorial/security#7-define-a-content-security-policy
 * (index.html carries the same policy in a meta tag for the file:// load.)
 */
export const APP_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; " +
  "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function enforceCsp(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } });
  });
}
