/**
 * The tasks ticked on a review list, as posted. Each checkbox's value is
 * "id:version": the task and the version its row showed, so that a task
 * changed since is left alone. One ticked box arrives as a string, several as
 * an array, none as nothing; any other value is a tampered form.
 */
import { z } from 'zod'
import { MAX_TASKS_AT_ONCE } from '../../tasks/assignment.ts'

const tickedTask = z
  .string()
  .regex(/^[1-9]\d{0,14}:[1-9]\d{0,8}$/)
  .transform((value) => {
    const [id = '', version = ''] = value.split(':')
    return { taskId: Number(id), expectedVersion: Number(version) }
  })

/**
 * The `task` field of a list's form, always a list. More than
 * MAX_TASKS_AT_ONCE is a user's mistake the route explains; a hundred times
 * that is no page's doing, and is refused before any is read.
 */
export const tickedTasks = z
  .union([tickedTask, z.array(tickedTask).max(MAX_TASKS_AT_ONCE * 100)])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
