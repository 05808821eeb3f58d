/**
 * The advisory lock `ipic rules facts --rebuild` holds for its transaction
 * (src/db/person-facts.ts). A rule run only probes it before it starts
 * (src/tasks/run-lock.ts) and refuses to run over a facts table being
 * refilled. One key, written once, so the two can never drift apart.
 */
export const FACTS_REBUILD_LOCK_KEY = `hashtext('ipic:person-facts-rebuild')`
