/**
 * The task resource as the API shows it and takes decisions on it: zod
 * schemas (validation and the OpenAPI document both come from these) and
 * the mapping from the review layer's views to them.
 */
import { z } from 'zod'
import type { TaskListRow } from '../../review/lists.ts'
import type { TaskView } from '../../review/task-view.ts'
import type { RecommendationExplanation } from '../../rules/explanation-json.ts'
import { isoDateSchema, regionCodeSchema, taskIdSchema, timestampSchema } from './schemas.ts'

export const TASK_STATUSES = ['RECOMMENDED', 'ACCEPTED', 'REJECTED', 'ON_HOLD', 'WITHDRAWN'] as const
export const TABS = ['recommended', 'accepted', 'rejected', 'on-hold'] as const

const taskTypeSchema = z.object({ code: z.string(), name: z.string() })
const personNameSchema = z.object({ id: z.string(), name: z.string() })

export const taskSummarySchema = z.object({
  id: z.number().int(),
  personId: z.string(),
  personName: z.string(),
  taskType: taskTypeSchema,
  priority: z.number(),
  reportingDate: isoDateSchema.nullable(),
  due: isoDateSchema.nullable().describe('When it should be decided by; null when not known.'),
  dueState: z.enum(['overdue', 'soon']).nullable().describe('Null when neither, or when decided.'),
  referral: z.string().nullable().describe('The short name of the business area that referred the person.'),
  version: z.number().int().describe('The version a decision on the task must name.'),
  assignedTo: personNameSchema.nullable(),
  decidedBy: z.string().nullable().describe('Who made the last decision, on the decided tabs.'),
  decidedAt: timestampSchema.nullable(),
})

export const taskSearchQuery = z.object({
  region: regionCodeSchema.describe('The ROM region to search, one of the client’s.'),
  tab: z.enum(TABS).default('recommended').describe('Which tab: the tasks of one status.'),
  taskTypes: z
    .string()
    .max(500)
    .optional()
    .describe(
      'Task type codes, separated by commas. With it, `from` and `to` are needed, as on the search page.',
    ),
  from: isoDateSchema.optional().describe('First reporting date to search (the Recommended tab only).'),
  to: isoDateSchema.optional().describe('Last reporting date to search.'),
  countries: z.string().max(500).optional().describe('Nationality codes, separated by commas.'),
  location: z.string().max(40).optional().describe('A reporting location code of the region.'),
  limit: z.coerce.number().int().min(1).max(100).default(100).describe('Tasks per answer, at most 100.'),
  cursor: z.string().max(500).optional().describe('The `next` cursor of the previous answer.'),
})

export const taskSearchAnswer = z.object({
  region: z.string(),
  tab: z.enum(TABS),
  tasks: z.array(taskSummarySchema),
  next: z
    .string()
    .nullable()
    .describe('Pass as `cursor` with the same search for the next tasks; null after the last.'),
})

export const taskParams = z.object({ taskId: taskIdSchema.describe('The task’s ID.') })

export const taskAnswer = z.object({
  id: z.number().int(),
  personId: z.string(),
  personName: z.string(),
  homeOfficeReference: z.string(),
  taskType: taskTypeSchema,
  region: z.string(),
  reportingDate: isoDateSchema.nullable(),
  status: z.enum(TASK_STATUSES),
  version: z.number().int().describe('The version a decision on the task must name.'),
  rule: z.object({ code: z.string(), ruleSetVersion: z.string() }),
  createdAt: timestampSchema,
  statusChangedAt: timestampSchema,
  statusChangedBy: personNameSchema.nullable().describe('Null when the rules made the last change.'),
  assignedTo: personNameSchema.nullable(),
  explanation: z
    .looseObject({
      rule: z.object({ code: z.string(), name: z.string(), version: z.string() }),
      evaluatedOn: z.string(),
      conditions: z.array(z.unknown()),
      safeguards: z.array(z.unknown()),
      priority: z.looseObject({ score: z.number(), factors: z.array(z.unknown()) }),
      reportingDate: z.looseObject({ field: z.string(), value: z.string().nullable() }),
      dataChangedAt: z.string(),
    })
    .nullable()
    .describe(
      'Why the rules recommended the task, condition by condition with the person’s values; null for a task made by hand.',
    ),
})

const decisionCommon = {
  version: z.number().int().min(1).describe('The task version the decider saw.'),
  decidedBy: z
    .string()
    .min(2)
    .max(40)
    .describe(
      'The user ID of the caseworker making the decision: an active user who may decide in the task’s region.',
    ),
}

const checksConfirmed = z
  .boolean()
  .describe(
    'The decider confirms they checked barriers, vulnerability and family circumstances, as the decision page asks.',
  )

export const decisionBody = z.discriminatedUnion('decision', [
  z.object({
    decision: z.literal('accept'),
    ...decisionCommon,
    checksConfirmed,
    note: z.string().max(2000).optional().describe('What the decider checked.'),
  }),
  z.object({
    decision: z.literal('reject'),
    ...decisionCommon,
    checksConfirmed,
    reasons: z
      .array(z.string().max(40))
      .min(1)
      .max(20)
      .describe('Rejection reason codes of the reference data.'),
    details: z.string().max(2000).describe('The decider’s explanation.'),
  }),
  z.object({
    decision: z.literal('hold'),
    ...decisionCommon,
    note: z.string().max(2000).optional().describe('Why the task is on hold.'),
  }),
])

export type DecisionBody = z.infer<typeof decisionBody>

export const decisionAnswer = z.object({
  id: z.number().int(),
  status: z.enum(TASK_STATUSES),
  version: z.number().int().describe('The task’s version now.'),
  statusChangedAt: timestampSchema,
  statusChangedBy: z.string().describe('The user ID of the decider.'),
})

export function taskSummaryOf(row: TaskListRow): z.infer<typeof taskSummarySchema> {
  return {
    id: row.taskId,
    personId: row.personId,
    personName: row.name,
    taskType: { code: row.taskTypeCode, name: row.taskType },
    priority: row.priority,
    reportingDate: row.reportingDate,
    due: row.due,
    dueState: row.dueState,
    referral: row.referral,
    version: row.version,
    assignedTo: row.assignedTo,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt?.toISOString() ?? null,
  }
}

export function taskOf(
  task: TaskView,
  explanation: RecommendationExplanation | undefined,
): z.infer<typeof taskAnswer> {
  return {
    id: task.id,
    personId: task.personId,
    personName: task.personName,
    homeOfficeReference: task.homeOfficeReference,
    taskType: task.taskType,
    region: task.romRegion,
    reportingDate: task.reportingDate,
    status: task.status,
    version: task.version,
    rule: { code: task.ruleCode, ruleSetVersion: task.ruleSetVersion },
    createdAt: task.createdAt.toISOString(),
    statusChangedAt: task.statusChangedAt.toISOString(),
    statusChangedBy: task.statusChangedBy,
    assignedTo: task.assignedTo,
    explanation: (explanation as z.infer<typeof taskAnswer>['explanation'] | undefined) ?? null,
  }
}
