/**
 * The service navigation under the GOV.UK header: "Review tasks", "My tasks",
 * "MI report", "Users", "Audit", "Background jobs" and "API clients", each for a signed-in user who may use it, with the section
 * the user is in marked.
 */
import { can, type Permission } from '../../access/permissions.ts'
import type { User } from '../../access/users.ts'
import { paths } from '../paths.ts'

export interface NavigationItem {
  readonly text: string
  readonly href: string
  /** The current page is this item's own page: `aria-current="page"`. */
  readonly current: boolean
  /** The current page is inside this item's section: `aria-current="true"`. */
  readonly active: boolean
}

const SECTIONS: readonly { text: string; href: string; permission: Permission }[] = [
  { text: 'Review tasks', href: paths.reviewTasks(), permission: 'tasks:review' },
  { text: 'My tasks', href: paths.myTasks(), permission: 'tasks:assign' },
  { text: 'MI report', href: paths.miReport(), permission: 'mi:download' },
  { text: 'Contests', href: paths.contests(), permission: 'contests:review' },
  { text: 'Users', href: paths.users(), permission: 'users:manage' },
  { text: 'Audit', href: paths.audit(), permission: 'audit:read' },
  { text: 'Background jobs', href: paths.jobs(), permission: 'jobs:read' },
  { text: 'Event subscribers', href: paths.subscribers(), permission: 'clients:manage' },
  { text: 'API clients', href: paths.apiClients(), permission: 'clients:manage' },
]

export function serviceNavigation(currentPath: string, user: Pick<User, 'roles'> | null): NavigationItem[] {
  const path = currentPath.split(/[?#]/, 1)[0] ?? ''
  return SECTIONS.filter(({ permission }) => can(user, permission)).map(({ text, href }) => {
    const current = path === href
    return { text, href, current, active: !current && path.startsWith(`${href}/`) }
  })
}
