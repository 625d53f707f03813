/**
 * Moved to `tools/emulator/api-gateway/event.ts`; this re-export keeps the
 * bench (`bench/events.ts`) compiling until it imports from there. Delete it then.
 */
export { anonymousIdentity } from '../emulator/api-gateway/event.ts';
