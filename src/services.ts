/**
 * The services the web pages (and whatever else serves users) call, built
 * once per process from the runtime: one review-list service with its
 * cached counts, the search choices from the reference data, the tasks,
 * the MI, the live rule set, sign-in through the OpenID provider if one
 * is configured, and user administration. `ipic serve` builds them after opening the runtime; the
 * tests' app builds them with this same function.
 */

import { MachineClients } from './access/machine-clients.ts'
import { ProviderTokens } from './access/provider-tokens.ts'
import { SingleSignOn } from './access/single-sign-on.ts'
import { UserAdministration } from './access/user-administration.ts'
import { AuditTrail } from './audit/service.ts'
import { DecisionEvents, serviceAddressOf } from './events/service.ts'
import { BackgroundJobs } from './jobs/background-jobs.ts'
import { MiService } from './mi/service.ts'
import { readRepresentationsContact } from './review/contest-contact.ts'
import { ContestService } from './review/contest-service.ts'
import { ReviewLists } from './review/list-service.ts'
import { SearchChoices } from './review/search-options.ts'
import { TaskService } from './review/task-service.ts'
import { LiveRules } from './rules/live-rules.ts'
import type { Runtime } from './runtime.ts'
import { Transparency } from './transparency/service.ts'
import type { Services } from './web/routes/dependencies.ts'

/** What the services are built from: the runtime, less its logger and close (and the replica, when there is none). */
export type ServiceRuntime = Pick<Runtime, 'config' | 'clock' | 'database' | 'reference'> &
  Partial<Pick<Runtime, 'replica'>>

export async function buildServices(runtime: ServiceRuntime): Promise<Services> {
  const { config, clock, database, reference } = runtime
  const rules = await LiveRules.load(database.db, config.rulesDir, reference)
  const reviewLists = new ReviewLists({ database, clock, retention: config.retention })
  return {
    reviewLists,
    searchChoices: new SearchChoices(reference),
    // A decision moves its region's tab counts and page starts: the lists count that region afresh.
    tasks: new TaskService({ db: database.db, clock, onTaskChanged: reviewLists.taskChanged }),
    // A contest changed to another decision moves the lists' counts as any decision does.
    contests: new ContestService({
      db: database.db,
      clock,
      onTaskChanged: reviewLists.taskChanged,
      contact: await readRepresentationsContact(config.referenceDir),
    }),
    // The MI reads from the replica when there is one; its record of downloads is written to the primary.
    mi: new MiService({ primary: database, reader: runtime.replica ?? database, clock }),
    rules,
    audit: new AuditTrail(database.db, config.audit.maxDays),
    // Discovered at start: a provider that cannot be reached stops the start, saying so.
    singleSignOn: config.singleSignOn && (await SingleSignOn.discover(database.db, config.singleSignOn)),
    transparency: new Transparency({
      db: database.db,
      clock,
      referenceDir: config.referenceDir,
      rules,
      reference,
      auditRetentionDays: config.audit.retentionDays,
    }),
    users: new UserAdministration({ db: database.db, clock, regions: reference.regions.romRegions }),
    jobs: new BackgroundJobs(database, config),
    events: new DecisionEvents({ db: database.db, clock, service: serviceAddressOf(config) }),
    // Discovered at start, as the sign-in provider is: one that cannot be reached stops the start.
    machineClients: new MachineClients({
      db: database.db,
      clock,
      provider: config.apiTokenIssuer && (await ProviderTokens.discover(config.apiTokenIssuer)),
    }),
  }
}
