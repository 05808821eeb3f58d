/**
 * The Node options the service and the `ipic` command run with (bin/ipic.js,
 * package.json's scripts), so that a benchmark's server or import measures
 * what production runs: a 16 MB young generation keeps memory flat under a
 * long stream of short-lived rows.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=16']
