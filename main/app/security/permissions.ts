import type { Session } from 'electron';

/**
 * The viewer needs no camera, microphone, notifications, geolocation or anything else: refuse every
 * permission request and check. https://www.electronjs.org/docs/latest/tutorial/security#5-handle-session-permission-requests-from-remote-content
 */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
