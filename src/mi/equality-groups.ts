/**
 * The equality monitoring groups: nationality, gender and age band, defined
 * once for every figure that reads them (the dashboard's rates, a rule
 * change's impact report). They are read for monitoring only: no rule or
 * priority can name them (src/rules/fields.ts).
 */
import { type RawBuilder, sql } from 'kysely'

export type EqualityDimension = 'nationality' | 'gender' | 'ageBand'

export const EQUALITY_DIMENSIONS: readonly EqualityDimension[] = ['nationality', 'gender', 'ageBand']

/** The age bands, youngest first: each holds the ages below `below` not in an earlier band. */
export const AGE_BANDS: readonly { readonly label: string; readonly below: number | null }[] = [
  { label: 'Under 18', below: 18 },
  { label: '18 to 24', below: 25 },
  { label: '25 to 34', below: 35 },
  { label: '35 to 44', below: 45 },
  { label: '45 to 54', below: 55 },
  { label: '55 to 64', below: 65 },
  { label: '65 and over', below: null },
]

/** The age band of an age in whole years, as SQL. */
export function ageBand(age: RawBuilder<unknown>): RawBuilder<string> {
  const bounded = AGE_BANDS.filter((band) => band.below !== null)
  const last = AGE_BANDS.find((band) => band.below === null)?.label ?? ''
  const whens = bounded.map((band) => sql`when ${age} < ${sql.lit(band.below)} then ${sql.lit(band.label)}`)
  return sql<string>`case ${sql.join(whens, sql` `)} else ${sql.lit(last)} end`
}

/** The column each dimension is read from in `monitoredPeople`. */
export const DIMENSION_COLUMNS: Readonly<Record<EqualityDimension, RawBuilder<unknown>>> = {
  nationality: sql`nationality_name`,
  gender: sql`gender`,
  ageBand: sql`age_band`,
}

/**
 * The present persons with their groups: person_id, rom_region,
 * nationality_name, gender and age_band, the age as of `on` (an ISO date).
 * `where` narrows them (a region scope), over the columns of persons as `p`.
 */
export function monitoredPeople(
  on: string,
  where: RawBuilder<boolean> = sql<boolean>`true`,
): RawBuilder<unknown> {
  return sql`
    select p.person_id, p.rom_region, cn.name as nationality_name, p.gender,
      ${ageBand(sql.ref('p.age'))} as age_band
    from (
      select p.*, extract(year from age(${on}::date, p.date_of_birth))::int as age from persons p
    ) p join countries cn on cn.code = p.nationality
    where p.present and ${where}`
}
