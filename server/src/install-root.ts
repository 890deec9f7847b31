/**
 * The installation's root folder (where package.json and dist/ are). This module sits two folders
 * below it both as source (server/src/install-root.ts) and inside the production build, where it is
 * bundled into dist/server/*.js; so one relative URL finds the root in development and production.
 */
export const INSTALL_ROOT = new URL('../../', import.meta.url)
