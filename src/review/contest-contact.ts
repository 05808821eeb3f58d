/**
 * Where a person sends representations or a contest: the team, address,
 * email, phone and opening hours, from reference/representations.yaml, so
 * that a team changes them without code. Read once at start; a missing or
 * malformed file stops the start, saying which field is wrong, rather than
 * printing a letter with no way to reply.
 */
import { join } from 'node:path'
import { z } from 'zod'
import { parseYamlText } from '../yaml/parse.ts'
import { readYamlFile } from '../yaml/read-file.ts'

export const CONTACT_FILE = 'representations.yaml'

const line = z.string().trim().min(1).max(200)

const contactSchema = z
  .object({
    team: line,
    address: z.array(line).min(1).max(8),
    email: z.string().trim().email().max(200),
    phone: z
      .string()
      .trim()
      .regex(/^[0-9 +()]{6,30}$/, 'a telephone number: digits, spaces, + and brackets'),
    hours: line,
  })
  .strict()

export type RepresentationsContact = z.infer<typeof contactSchema>

export class ContactFileError extends Error {}

export async function readRepresentationsContact(referenceDir: string): Promise<RepresentationsContact> {
  const path = join(referenceDir, CONTACT_FILE)
  const read = await readYamlFile(path)
  if (!read.ok) throw new ContactFileError(`${path} ${read.message}`)
  const parsed = parseYamlText(read.text)
  if (!parsed.ok) throw new ContactFileError(`${path}: ${parsed.problems.map((p) => p.message).join('; ')}`)
  const checked = contactSchema.safeParse(parsed.value)
  if (!checked.success) {
    const problems = checked.error.issues.map(
      (issue) => `${issue.path.join('.') || 'the file'}: ${issue.message}`,
    )
    throw new ContactFileError(`${path} is not a valid contact file: ${problems.join('; ')}`)
  }
  return checked.data
}
