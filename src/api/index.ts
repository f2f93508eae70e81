/** The HTTP API (Fastify): build() apart from listen(); see docs/API.md. */
export { ApiKeyStore, createApiKey, DEFAULT_BURST, DEFAULT_RATE_PER_SEC, keysPathFor, listApiKeys, revokeApiKey } from './apiKeys.js';
export type { ApiKeyRecord, ApiPrincipal } from './apiKeys.js';
export { DbLock, StoreBackend } from './backend.js';
export type { ApiBackend, Caller } from './backend.js';
export { buildApp, presentedKey } from './buildApp.js';
export type { BuildAppOptions } from './buildApp.js';
export { problem, STATUS_BY_CODE, statusForCode } from './problem.js';
export type { Problem } from './problem.js';
export { MAX_BATCH } from './routes/screen.js';
export { openServer } from './server.js';
export type { OpenServerOptions, ServerHandle } from './server.js';
