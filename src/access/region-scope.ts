/**
 * The regions a user may see. Region is a security boundary: every query that
 * touches person or task data takes a scope and filters by it in SQL, so a
 * page cannot forget to.
 */
import { type ExpressionBuilder, type ExpressionWrapper, sql } from 'kysely'
import type { User } from './users.ts'

export type RegionScope = { readonly all: true } | { readonly all: false; readonly codes: readonly string[] }

export function scopeOf(user: Pick<User, 'regions'>): RegionScope {
  return user.regions
}

/** Narrows a scope to one region, or to nothing when the region is outside it. */
export function narrowTo(scope: RegionScope, region: string): RegionScope {
  return { all: false, codes: canSee(scope, region) ? [region] : [] }
}

export function canSee(scope: RegionScope, region: string): boolean {
  return scope.all || scope.codes.includes(region)
}

/**
 * A WHERE condition on a table's ROM region column. An empty scope matches
 * nothing (rather than producing invalid SQL or, worse, everything).
 */
export function inScope<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  column: string,
  scope: RegionScope,
): ExpressionWrapper<DB, TB, boolean> {
  if (scope.all) return eb.val(true) as never
  if (scope.codes.length === 0) return eb.val(false) as never
  return eb(sql.ref(column), 'in', [...scope.codes]) as never
}
