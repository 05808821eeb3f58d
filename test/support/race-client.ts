/**
 * One caseworker in a race, over real HTTP: opens a task's decision form,
 * fills it in as a person would (reasons and details for a rejection, the
 * confirmation box) and posts it with the version the form showed. What the
 * service answered is classified, so the race can check that every answer
 * is one a caseworker should get.
 */
import { paths } from '../../src/web/paths.ts'
import type { HttpClient } from './server-process.ts'
import type { DecisionEventKey, ToldDecisions } from './task-log.ts'
import { csrfTokenIn, textOf, titleOf } from './web.ts'

export const DECISION_ACTIONS = ['accept', 'reject', 'hold'] as const
export type RaceAction = (typeof DECISION_ACTIONS)[number]

export const STATUS_OF_ACTION = { accept: 'ACCEPTED', reject: 'REJECTED', hold: 'ON_HOLD' } as const

/** The sentence every refusal of a decision on a task that changed meanwhile ends with. */
export const CHECK_THE_CASE_AGAIN = 'Check the case again before you decide.'
/** A hold refused because the rules opened another task of the type for the person meanwhile. */
export const OPEN_TASK_EXISTS = 'This person already has an open task of this type: decide that task instead'

export type Attempt =
  /** Decided: the confirmation page's address came back. */
  | {
      readonly kind: 'decided'
      readonly taskId: number
      readonly action: RaceAction
      readonly version: number
    }
  /** Refused with what happened to the task, and the check-the-case-again sentence. */
  | { readonly kind: 'refused'; readonly taskId: number; readonly action: RaceAction; readonly words: string }
  /** Refused because the rules had opened another task of the type for the person. */
  | { readonly kind: 'open-task-exists'; readonly taskId: number; readonly action: RaceAction }
  /** The form was not offered: the task was already in that status, or withdrawn. */
  | { readonly kind: 'not-offered'; readonly taskId: number; readonly action: RaceAction }
  /**
   * The service's 503 "problem with the service" page (the database was
   * away), or the balancer's 502 (the instance died with the request).
   */
  | {
      readonly kind: 'unavailable'
      readonly taskId: number
      readonly action: RaceAction
      /** Whether the form failed (nothing was decided) or the decision itself (it may have been). */
      readonly step: 'form' | 'decision'
      readonly answer: 'problem page' | 'bad gateway'
    }
  /** Anything else: a failure of the service, which the race reports. */
  | {
      readonly kind: 'unexpected'
      readonly taskId: number
      readonly action: RaceAction
      readonly detail: string
    }

export const PROBLEM_PAGE_TITLE =
  'Sorry, there is a problem with the service – Identify and prioritise immigration cases – GOV.UK'

/** The 503 page of a lost database connection, with its reference. */
export function isProblemPage(status: number, html: string): boolean {
  return (
    status === 503 &&
    titleOf(html) === PROBLEM_PAGE_TITLE &&
    /data-testid="error-reference">[0-9A-Z-]+</.test(html)
  )
}

/** nginx's own page when the instance it passed a request to failed before answering. */
function isBadGateway(status: number, html: string): boolean {
  return status === 502 && /<title>502 Bad Gateway<\/title>/.test(html)
}

function unavailable(status: number, html: string): 'problem page' | 'bad gateway' | undefined {
  return isProblemPage(status, html) ? 'problem page' : isBadGateway(status, html) ? 'bad gateway' : undefined
}

/** What a caseworker was told of their decisions, for lostOrDoubledDecisions. */
export function toldDecisions(userId: string, attempts: readonly Attempt[]): ToldDecisions {
  const key = (a: Attempt): DecisionEventKey => `${a.taskId}:${STATUS_OF_ACTION[a.action]}`
  return {
    userId,
    confirmed: attempts.filter((a) => a.kind === 'decided').map(key),
    unknown: attempts.filter((a) => a.kind === 'unavailable' && a.step === 'decision').map(key),
  }
}

/** The hidden version field of a decision form. */
function versionIn(html: string): number | undefined {
  const found = /name="version" value="(\d+)"/.exec(html)?.[1]
  return found ? Number(found) : undefined
}

/** The first rejection reason the form offers. */
function firstReasonIn(html: string): string | undefined {
  return /name="reasons"[^>]*value="([^"]+)"/.exec(html)?.[1]
}

function fieldsFor(action: RaceAction, html: string, version: number): Record<string, string> {
  const common = { _csrf: csrfTokenIn(html), version: String(version) }
  switch (action) {
    case 'accept':
      return { ...common, checksConfirmed: 'yes', acceptNote: 'Checked barriers and family.' }
    case 'reject':
      return {
        ...common,
        reasons: firstReasonIn(html) ?? '',
        details: 'Not suitable at present.',
        checksConfirmed: 'yes',
      }
    case 'hold':
      return { ...common, note: 'Waiting for the reporting centre.' }
  }
}

/** Opens the decision form for `action` on `taskId` and posts it, as one caseworker. */
export async function attemptDecision(
  client: HttpClient,
  taskId: number,
  action: RaceAction,
): Promise<Attempt> {
  const unexpected = (detail: string): Attempt => ({ kind: 'unexpected', taskId, action, detail })
  try {
    const form = await client.get(paths.taskDecision(taskId, action))
    const html = await form.text()
    if (form.status === 303 && form.headers.get('location')?.startsWith(paths.task(taskId))) {
      return { kind: 'not-offered', taskId, action }
    }
    const formFailed = unavailable(form.status, html)
    if (formFailed) return { kind: 'unavailable', taskId, action, step: 'form', answer: formFailed }
    const version = versionIn(html)
    if (form.status !== 200 || version === undefined) {
      return unexpected(`the form answered ${form.status}: ${titleOf(html)}`)
    }
    const posted = await client.post(paths.taskDecision(taskId, action), fieldsFor(action, html, version))
    const answer = await posted.text()
    const location = posted.headers.get('location') ?? ''
    if (posted.status === 303 && location.startsWith(paths.taskDecided(taskId, action))) {
      return { kind: 'decided', taskId, action, version }
    }
    const decisionFailed = unavailable(posted.status, answer)
    if (decisionFailed)
      return { kind: 'unavailable', taskId, action, step: 'decision', answer: decisionFailed }
    const words = textOf(answer)
    if (posted.status === 409 && words.includes(CHECK_THE_CASE_AGAIN)) {
      const sentence = /(This task (?:was|is already)[^.]*\.)/.exec(words)?.[1] ?? ''
      return { kind: 'refused', taskId, action, words: `${sentence} ${CHECK_THE_CASE_AGAIN}` }
    }
    if (posted.status === 400 && action === 'hold' && words.includes(OPEN_TASK_EXISTS)) {
      return { kind: 'open-task-exists', taskId, action }
    }
    return unexpected(`the decision answered ${posted.status} ${location}: ${titleOf(answer)}`)
  } catch (error) {
    return unexpected(`no answer: ${String(error)}`)
  }
}

/** A small seeded generator, so a race can be run again with the same choices. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}
