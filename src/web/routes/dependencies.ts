/**
 * What every route module is given, in a module of its own so that the
 * modules and the list that registers them (index.ts) import it, not each
 * other.
 */

import type { FastifyInstance } from 'fastify'
import type { MachineClients } from '../../access/machine-clients.ts'
import type { SingleSignOn } from '../../access/single-sign-on.ts'
import type { UserAdministration } from '../../access/user-administration.ts'
import type { AuditTrail } from '../../audit/service.ts'
import type { Clock } from '../../clock.ts'
import type { Config } from '../../config.ts'
import type { Database } from '../../db/connect.ts'
import type { DecisionEvents } from '../../events/service.ts'
import type { BackgroundJobs } from '../../jobs/background-jobs.ts'
import type { MiService } from '../../mi/service.ts'
import type { ContestService } from '../../review/contest-service.ts'
import type { ReviewLists } from '../../review/list-service.ts'
import type { SearchChoices } from '../../review/search-options.ts'
import type { TaskService } from '../../review/task-service.ts'
import type { LiveRules } from '../../rules/live-rules.ts'
import type { Transparency } from '../../transparency/service.ts'

/** The services built once for the process (src/services.ts) that the routes call. */
export interface Services {
  readonly reviewLists: ReviewLists
  readonly searchChoices: SearchChoices
  readonly tasks: TaskService
  /** Representations and contests, and the information page for the person. */
  readonly contests: ContestService
  readonly mi: MiService
  readonly rules: LiveRules
  /** The audit trail, as the audit pages read it. */
  readonly audit: AuditTrail
  /** Sign-in through the configured OpenID provider; undefined when there is none. */
  readonly singleSignOn: SingleSignOn | undefined
  /** Finding, adding and changing users, within what the acting user may manage. */
  readonly users: UserAdministration
  /** The public transparency record of this installation. */
  readonly transparency: Transparency
  /** Decision events: their subscribers (the Event subscribers page) and the pull feed. */
  readonly events: DecisionEvents
  /** The background jobs of every instance, as the Background jobs page lists and retries them. */
  readonly jobs: BackgroundJobs
  /** The API's machine clients: registering and revoking them, their tokens, and the API's refusals. */
  readonly machineClients: MachineClients
}

export interface RouteDependencies {
  readonly config: Config
  readonly clock: Clock
  /** Real time, for session ages and sign-in throttling (see server/sessions.ts). */
  readonly sessionClock: Clock
  /** For the sessions and sign-in; everything else goes through `services`. */
  readonly database: Database
  readonly services: Services
}

/** A journey's routes: `async (app, deps) => { … }`, registered in index.ts. */
export type RouteModule = (app: FastifyInstance, deps: RouteDependencies) => Promise<void>
