/**
 * What the MI pages do, as one object built for the process
 * (src/services.ts): the report's download, the dashboard, and the
 * data-quality list on the page or as a download, with the region and task
 * type lists their filters offer. Every file of personal data that leaves
 * through here is on record (downloads.ts) before its first row is read.
 *
 * Everything is read from the reader: the read replica when one is
 * configured (DATABASE_REPLICA_URL, docs/operating.md), else the primary.
 * The record of downloads is the one thing written, always to the primary.
 */
import type { Clock } from '../clock.ts'
import type { Database } from '../db/connect.ts'
import { type ContestStats, contestStats } from './contest-stats.ts'
import {
  type Dashboard,
  type DashboardCriteria,
  type EqualityOptions,
  miDashboard,
  taskTypeOptions,
} from './dashboard.ts'
import { type DataQualityItem, dataQualityItems } from './data-quality.ts'
import type { MiDatabases } from './databases.ts'
import { type DecisionList, type DecisionsOf, decisionList } from './decision-list.ts'
import { recordDownloadEnd, recordDownloadStart } from './downloads.ts'
import { type OverdueCount, overdueCounts } from './overdue.ts'
import { romRegionList } from './regions.ts'
import { downloadMiReport, exportMiReport, type MiExportFormat, type MiReportDownload } from './report.ts'
import type { MiFile, MiFileFormat, MiFileOutcome } from './report-files.ts'
import type { MiReportCriteria } from './report-query.ts'
import { type RubberStampMonitoring, rubberStampMonitoring } from './rubber-stamp.ts'

export interface MiOption {
  readonly code: string
  readonly name: string
}

/** The data-quality list read for a download, already on record as started. */
export interface DataQualityDownload {
  readonly items: readonly DataQualityItem[]
  readonly fileName: string
  /**
   * Records how the download ended: completed once the whole body went out,
   * aborted otherwise. Never rejects: a failure to record goes to `unrecorded`.
   */
  ended(outcome: Exclude<MiFileOutcome, 'FAILED'>): Promise<void>
}

export class MiService {
  readonly #primary: Pick<Database, 'db'>
  readonly #reader: Pick<Database, 'db' | 'pool'>
  readonly #clock: Clock

  constructor(deps: MiDatabases & { readonly clock: Clock }) {
    this.#primary = deps.primary
    this.#reader = deps.reader
    this.#clock = deps.clock
  }

  /** The ROM regions, in their reference-data order: retired ones too, as the history names them. */
  regions(): Promise<MiOption[]> {
    return romRegionList(this.#reader.db)
  }

  /** The task types, for the dashboard's filter. */
  taskTypes(): Promise<MiOption[]> {
    return taskTypeOptions(this.#reader.db)
  }

  /** Starts the report's file: on record as started; `recorded` settles once its end is too. */
  downloadReport(request: {
    readonly userId: string
    readonly criteria: MiReportCriteria
    readonly format: MiFileFormat
  }): Promise<MiReportDownload> {
    return downloadMiReport({ primary: this.#primary, reader: this.#reader }, this.#clock, request)
  }

  /** The report for an API client, as CSV or JSON lines (report.ts). */
  exportReport(request: {
    readonly clientId: string
    readonly criteria: MiReportCriteria
    readonly format: MiExportFormat
  }): Promise<MiFile> {
    return exportMiReport({ primary: this.#primary, reader: this.#reader }, this.#clock, request)
  }

  dashboard(criteria: DashboardCriteria, equality: EqualityOptions): Promise<Dashboard> {
    return miDashboard(this.#reader.db, criteria, equality)
  }

  /** Rubber-stamp monitoring from the evidence of review (rubber-stamp.ts). */
  rubberStamp(criteria: DashboardCriteria, quickSeconds: number): Promise<RubberStampMonitoring> {
    return rubberStampMonitoring(this.#reader.db, criteria, quickSeconds)
  }

  /** The decisions behind a user's or a rule version's figures (decision-list.ts). */
  decisions(criteria: DashboardCriteria, of: DecisionsOf): Promise<DecisionList> {
    return decisionList(this.#reader.db, criteria, of)
  }

  /** Contests recorded in the range: counts, outcomes and time to outcome (contest-stats.ts). */
  contests(criteria: DashboardCriteria): Promise<ContestStats> {
    return contestStats(this.#reader.db, criteria)
  }

  /** Open tasks past their due date today, by task type and region. */
  overdue(criteria: DashboardCriteria): Promise<OverdueCount[]> {
    return overdueCounts(this.#reader.db, criteria, this.#clock.today())
  }

  dataQuality(criteria: MiReportCriteria): Promise<DataQualityItem[]> {
    return dataQualityItems(this.#reader.db, criteria)
  }

  /**
   * The data-quality list as a file. On record before any personal data is
   * read, like the MI report: an attempt that fails still shows, as FAILED.
   */
  async downloadDataQuality(request: {
    readonly userId: string
    readonly criteria: MiReportCriteria
    /** Told when the download's end could not be recorded (the list is sent, or its failure thrown, all the same). */
    readonly unrecorded: (error: unknown) => void
  }): Promise<DataQualityDownload> {
    const { from, to, scope } = request.criteria
    const downloadId = await recordDownloadStart(this.#primary.db, this.#clock, {
      kind: 'DATA_QUALITY',
      userId: request.userId,
      scope,
      from,
      to,
      format: 'csv',
    })
    const recordEnd = (outcome: MiFileOutcome, rows: number) =>
      recordDownloadEnd(this.#primary.db, this.#clock, downloadId, { outcome, rows }).catch(
        request.unrecorded,
      )
    let items: DataQualityItem[]
    try {
      // A list for one team to work through, bounded by the date range: small enough to build whole.
      items = await dataQualityItems(this.#reader.db, request.criteria)
    } catch (error) {
      await recordEnd('FAILED', 0)
      throw error
    }
    const regionPart = scope.all ? 'ALL' : scope.codes.join('-')
    return {
      items,
      fileName: `ipic-data-quality-${regionPart}-${from}-to-${to}.csv`,
      ended: (outcome) => recordEnd(outcome, items.length),
    }
  }
}
