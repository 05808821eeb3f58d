/**
 * The guard on a full import's absences. A full extract marks everyone it
 * does not mention as no longer present, and the next rule run withdraws
 * their recommended tasks; so a file cut short (the first 100 lines of
 * 200,000) would empty the caseload. Before anyone is marked absent, a full
 * import counts who would be; if that is more than a set share of the
 * persons present, it is refused unless the operator has said that so many
 * really have gone (`ipic import --full --allow-mass-absence`).
 *
 * The records the file does hold were already written by then: they are the
 * source system's current data for those persons, whether or not the file is
 * whole. Only the absences, which a short file gets wrong, are held back.
 */
import type { BulkSession } from '../db/bulk-session.ts'

export interface AbsenceLimit {
  /** The largest share of the present persons, in per cent, that may be marked absent (IPIC_FULL_IMPORT_MAX_ABSENT_PERCENT). */
  readonly maxPercent: number
  /** The operator confirmed the absences, however many (--allow-mass-absence). */
  readonly allowMore: boolean
}

export const DEFAULT_MAX_ABSENT_PERCENT = 10

/** The full import would mark more persons absent than it may: nobody was. */
export class MassAbsenceError extends Error {
  readonly absent: number
  readonly present: number

  constructor(file: string, absent: number, present: number, limit: AbsenceLimit, imported: number) {
    const number = (n: number) => n.toLocaleString('en-GB')
    super(
      `${file}: as a full extract it would mark ${number(absent)} of the ${number(present)} persons present ` +
        `(${percent(absent, present)}) as no longer present, more than the ${number(limit.maxPercent)}% allowed ` +
        `(IPIC_FULL_IMPORT_MAX_ABSENT_PERCENT), so no one was marked absent. ${recordsImported(imported)} ` +
        'A file cut short looks like this: check that it is whole, and if so many persons really have gone, ' +
        'import it again with --full --allow-mass-absence',
    )
    this.absent = absent
    this.present = present
  }
}

function recordsImported(n: number): string {
  return n === 1
    ? 'The one valid record it holds was imported.'
    : `The ${n.toLocaleString('en-GB')} valid records it holds were imported.`
}

/** The share as a person reads it: never rounded up to the limit or down to nothing. */
function percent(part: number, whole: number): string {
  const share = (100 * part) / whole
  const shown = Math.floor(share * 100) / 100
  return `${shown === 0 && part > 0 ? '< 0.01' : shown.toLocaleString('en-GB', { maximumFractionDigits: 2 })}%`
}

/**
 * How many persons present now this import has not seen, and how many are
 * present: what marking the absences would do, before it is done.
 */
export async function countAbsences(
  session: BulkSession,
  importId: number,
): Promise<{ absent: number; present: number }> {
  const [row] = await session.query<{ absent: number; present: number }>(
    `select count(*)::int as present,
       count(*) filter (
         where not exists (select 1 from import_seen s where s.import_id = $1 and s.person_id = p.person_id)
       )::int as absent
     from persons p
     where p.present`,
    [importId],
  )
  return { absent: row?.absent ?? 0, present: row?.present ?? 0 }
}

/** Refuses absences beyond the limit (see MassAbsenceError); any number is allowed when confirmed. */
export async function checkAbsences(
  session: BulkSession,
  importId: number,
  limit: AbsenceLimit,
  context: { readonly file: string; readonly imported: number },
): Promise<void> {
  if (limit.allowMore) return
  const { absent, present } = await countAbsences(session, importId)
  // In whole numbers: absent / present > maxPercent / 100, without rounding.
  if (absent * 100 > limit.maxPercent * present) {
    throw new MassAbsenceError(context.file, absent, present, limit, context.imported)
  }
}
