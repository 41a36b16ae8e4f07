import { pathToFileURL } from 'node:url';

/**
 * Our one page is dist/renderer/index.html loaded from disk; a sender or navigation target is
 * trusted only when it is exactly that file (any query or hash allowed).
 * https://www.electronjs.org/docs/latest/tutorial/security#17-validate-the-sender-of-all-ipc-messages
 */
export function trustedPage(indexHtml: string): (url: string) => boolean {
  const own = pathToFileURL(indexHtml).href;
  return (url: string): boolean => {
    try {
      const u = new URL(url);
      return u.protocol === 'file:' && `${u.protocol}//${u.host}${u.pathname}` === own;
    } catch {
      return false;
    }
  };
}
