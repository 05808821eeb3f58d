/**
 * The service navigation under the GOV.UK header: "Review tasks" and
 * "MI report" for a signed-in user, with the section the user is in marked.
 */
import { paths } from '../paths.ts'

export interface NavigationItem {
  readonly text: string
  readonly href: string
  /** The current page is this item's own page: `aria-current="page"`. */
  readonly current: boolean
  /** The current page is inside this item's section: `aria-current="true"`. */
  readonly active: boolean
}

const SECTIONS = [
  { text: 'Review tasks', href: paths.reviewTasks() },
  { text: 'MI report', href: paths.miReport() },
] as const

export function serviceNavigation(currentPath: string, signedIn: boolean): NavigationItem[] {
  if (!signedIn) return []
  const path = currentPath.split(/[?#]/, 1)[0] ?? ''
  return SECTIONS.map(({ text, href }) => {
    const current = path === href
    return { text, href, current, active: !current && path.startsWith(`${href}/`) }
  })
}
