/**
 * `ipic audit purge`: delete the audit events older than
 * IPIC_AUDIT_RETENTION_DAYS, leaving an event that says so. Meant for a
 * daily schedule; running it twice in a day deletes nothing the second time.
 */
import { purgeAuditEvents } from '../audit/retention.ts'
import { withRuntime } from '../runtime.ts'

export async function purgeAuditCommand(): Promise<void> {
  await withRuntime(async ({ config, clock, database }) => {
    const { before, deleted } = await purgeAuditEvents(database.db, {
      now: clock.now(),
      retentionDays: config.audit.retentionDays,
      userId: null,
    })
    console.log(
      `Deleted ${deleted} audit event${deleted === 1 ? '' : 's'} from before ${before.toISOString()} (kept ${config.audit.retentionDays} days).`,
    )
  })
}
