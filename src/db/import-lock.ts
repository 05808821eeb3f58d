/**
 * The advisory lock an import holds for as long as it runs (a session lock,
 * so a killed import releases it when its connection drops). Imports take it
 * exclusively, one at a time (src/cases/import-store.ts); a rule run only
 * checks that no import holds it before it starts (src/tasks/run-lock.ts).
 * One key, written once, so the two can never drift apart.
 */
export const IMPORT_LOCK_KEY = `hashtext('ipic:import')`
