/**
 * The equality monitoring groups: nationality, gender and age band, defined
 * once for every figure that reads them (the dashboard's rates, a rule
 * change's impact report). They are read for monitoring only: no rule or
 * priority can name them (src/rules/fields.ts).
 */
import { type RawBuilder, sql } from 'kysely'

export type EqualityDimension = 'nationality' | 'gender' | 'ageBand'

export const EQUALITY_DIMENSIONS: readonly EqualityDimension[] = ['nationality', 'gender', 'ageBand']

/** The age band of an age in whole years. */
export function ageBand(age: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`case
  when ${age} < 18 then 'Under 18' when ${age} < 25 then '18 to 24' when ${age} < 35 then '25 to 34'
  when ${age} < 45 then '35 to 44' when ${age} < 55 then '45 to 54' when ${age} < 65 then '55 to 64'
  else '65 and over' end`
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
