/**
 * The signed-in home page: who the user is, what they may do, and a way into
 * each part of the service they may use.
 */
import { can, type Permission } from '../../access/permissions.ts'
import { ROLES } from '../../access/roles.ts'
import type { User } from '../../access/users.ts'
import { paths } from '../paths.ts'

export interface HomePage {
  readonly name: string
  /** e.g. "Caseworker" or "Caseworker and manager". */
  readonly roles: string
  readonly sections: readonly {
    readonly title: string
    readonly href: string
    readonly description: string
  }[]
}

const SECTIONS: readonly (HomePage['sections'][number] & { readonly permission: Permission })[] = [
  {
    title: 'Review tasks',
    href: paths.reviewTasks(),
    description:
      'Find the cases recommended for a task in your region, review them and record your decision.',
    permission: 'tasks:review',
  },
  {
    title: 'MI report',
    href: paths.miReport(),
    description: 'See the decisions made on recommended tasks, and download them.',
    permission: 'mi:download',
  },
  {
    title: 'Users',
    href: paths.users(),
    description: 'Find users, add them, change their roles and regions, and deactivate them.',
    permission: 'users:manage',
  },
  {
    title: 'Audit',
    href: paths.audit(),
    description:
      'See who signed in, searched, viewed or decided a case, downloaded data or changed a user, and when.',
    permission: 'audit:read',
  },
]

/**
 * Where signing in leads when nothing asked for another page. A caseworker's
 * work starts with the search, as the training guide shows: the review
 * tasks page takes them there, through the choice of region if they have
 * more than one. Anyone else starts at the home page, with the way into each
 * part of the service they use.
 */
export function landingAfterSignIn(user: Pick<User, 'roles'>): string {
  return user.roles.length === 1 && user.roles[0] === 'CASEWORKER' ? paths.reviewTasks() : paths.home()
}

export function homePage(user: Pick<User, 'name' | 'roles'>): HomePage {
  return {
    name: user.name,
    roles: listInWords(user.roles.map((role) => ROLES[role])),
    sections: SECTIONS.filter((section) => can(user, section.permission)).map(
      ({ title, href, description }) => ({ title, href, description }),
    ),
  }
}

function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? ''
  const words = items.map((item, index) => (index === 0 ? item : lowerFirstLetter(item)))
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`
}

/** "Manager" → "manager", but an initialism stays as it is: "MI analyst". */
function lowerFirstLetter(text: string): string {
  const [first = '', second = ''] = text
  return second === second.toUpperCase() && second !== ' ' ? text : `${first.toLowerCase()}${text.slice(1)}`
}
