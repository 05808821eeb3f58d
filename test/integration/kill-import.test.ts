/**
 * Issue 17 item 5: the real `ipic import` process killed with SIGKILL at random
 * points (test/support/kill-trials.ts), three times; `npm run kill` runs
 * twenty. Nothing is left half-written and a re-run completes the work
 * with exactly the counts of one clean run. PostgreSQL only: the embedded
 * database lives inside the process that is killed.
 */
import { describeKillTrials } from '../support/kill-suite.ts'
import { importKillTrials } from '../support/kill-trials.ts'

describeKillTrials('an import killed part-way', importKillTrials)
