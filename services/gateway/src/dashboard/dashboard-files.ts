import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the dashboard's build lives (`services/dashboard/dist`, made by `nx run dashboard:build`),
 * found from this file both in the workspace and in the image, which keep the same layout.
 */
export const DASHBOARD_DIR = join(__dirname, '..', '..', '..', 'dashboard', 'dist');

/** Whether the dashboard has been built. */
export function dashboardBuilt(): boolean {
  return existsSync(join(DASHBOARD_DIR, 'index.html'));
}

/**
 * The dashboard's Content-Security-Policy: only its own scripts, styles and API; no inline script,
 * no eval, no other origin (it works offline), no framing. Downloads are blob: URLs it makes itself.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every dashboard file is served with. */
export const DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': DASHBOARD_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
};
