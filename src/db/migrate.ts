/**
 * Schema migrations, applied by `ipic migrate` and at start. The list is
 * static (imported modules, not a directory scan) so it works the same from
 * source, from a package, and in tests.
 */
import type { Kysely } from 'kysely'
import { type Migration, type MigrationResultSet, Migrator } from 'kysely/migration'
import * as referenceData from './migrations/0001-reference-data.ts'
import * as persons from './migrations/0002-persons.ts'
import * as usersAndSessions from './migrations/0003-users-and-sessions.ts'
import * as tasks from './migrations/0004-tasks.ts'
import * as caseOpenings from './migrations/0005-case-openings.ts'
import * as miDownloads from './migrations/0006-mi-downloads.ts'
import * as reviewOrderIndex from './migrations/0007-review-order-index.ts'
import * as incrementalRuleRuns from './migrations/0008-incremental-rule-runs.ts'
import * as miDownloadKinds from './migrations/0009-mi-download-kinds.ts'
import * as signInFailures from './migrations/0010-sign-in-failures.ts'
import * as bulkTablesUnchecked from './migrations/0011-bulk-tables-unchecked.ts'
import * as signInAttempts from './migrations/0012-sign-in-attempts.ts'
import * as userVersions from './migrations/0013-user-versions.ts'
import * as auditEvents from './migrations/0014-audit-events.ts'
import * as reviewEvidence from './migrations/0015-review-evidence.ts'
import * as representations from './migrations/0016-representations.ts'
import * as reviewListChanges from './migrations/0017-review-list-changes.ts'
import * as rulePublication from './migrations/0018-rule-publication.ts'
import * as taskAssignment from './migrations/0020-task-assignment.ts'
import * as decisionTargets from './migrations/0021-decision-targets.ts'
import * as reviewListChangeSlots from './migrations/0022-review-list-change-slots.ts'
import * as jobRetriedAudit from './migrations/0023-job-retried-audit.ts'
import * as apiClients from './migrations/0024-api-clients.ts'
import * as decisionEvents from './migrations/0025-decision-events.ts'
import * as personFacts from './migrations/0026-person-facts.ts'
import * as factsHistory from './migrations/0027-facts-history.ts'
import * as contestEvents from './migrations/0028-contest-events.ts'
import * as apiAuditRecords from './migrations/0029-api-audit-records.ts'
import * as unusedIndexes from './migrations/0031-unused-indexes.ts'
import * as personsChangedSince from './migrations/0032-persons-changed-since.ts'
import * as closedTasksByPerson from './migrations/0033-closed-tasks-by-person.ts'

export const migrations: Record<string, Migration> = {
  '0001-reference-data': referenceData,
  '0002-persons': persons,
  '0003-users-and-sessions': usersAndSessions,
  '0004-tasks': tasks,
  '0005-case-openings': caseOpenings,
  '0006-mi-downloads': miDownloads,
  '0007-review-order-index': reviewOrderIndex,
  '0008-incremental-rule-runs': incrementalRuleRuns,
  '0009-mi-download-kinds': miDownloadKinds,
  '0010-sign-in-failures': signInFailures,
  '0011-bulk-tables-unchecked': bulkTablesUnchecked,
  '0012-sign-in-attempts': signInAttempts,
  '0013-user-versions': userVersions,
  '0014-audit-events': auditEvents,
  '0015-review-evidence': reviewEvidence,
  '0016-representations': representations,
  '0017-review-list-changes': reviewListChanges,
  '0020-task-assignment': taskAssignment,
  '0021-decision-targets': decisionTargets,
  '0018-rule-publication': rulePublication,
  '0022-review-list-change-slots': reviewListChangeSlots,
  '0023-job-retried-audit': jobRetriedAudit,
  '0024-api-clients': apiClients,
  '0025-decision-events': decisionEvents,
  '0026-person-facts': personFacts,
  '0027-facts-history': factsHistory,
  '0028-contest-events': contestEvents,
  '0029-api-audit-records': apiAuditRecords,
  '0031-unused-indexes': unusedIndexes,
  '0032-persons-changed-since': personsChangedSince,
  '0033-closed-tasks-by-person': closedTasksByPerson,
}

export class MigrationError extends Error {}

export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } })
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName
    const reason = (error as Error).message ?? String(error)
    // No migration failed: the migrator could not start, most often because the database could not be reached.
    const message = failed
      ? `Migration ${failed} failed: ${reason}`
      : `Could not migrate the database (no migration was applied): ${reason}`
    throw new MigrationError(message, { cause: error })
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName)
}
