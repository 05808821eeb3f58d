/**
 * What a condition compares with: a value written in the condition or a
 * named parameter, checked against the field (or, for a count, against what
 * a count can be) and within the limits a run can execute. The resolver in
 * condition-resolution.ts has by then found the field and checked that the
 * operator fits it; the operand is the same job for a person's field and a
 * list item's.
 */
import type { IsoDate } from '../dates.ts'
import type { RawCountCondition, RawFieldCondition } from './condition-schema.ts'
import { valueProblem } from './field-checks.ts'
import type { ItemField, PersonField } from './field-types.ts'
import type { FileScope } from './file-scope.ts'
import { MAX_DAYS, MAX_WHOLE_NUMBER, wholeNumberProblem } from './limits.ts'
import type { CountTest, FieldTest, Operand, Scalar } from './model.ts'
import { KIND_WORDS } from './operators.ts'
import type { Path } from './problems.ts'

/** The test of a field condition whose operator already fits the field. */
export function fieldTest(
  raw: RawFieldCondition,
  field: PersonField | ItemField,
  path: Path,
  scope: FileScope,
): FieldTest | undefined {
  switch (raw.operator) {
    case 'equals':
    case 'not equals': {
      const operand =
        raw.value !== undefined
          ? literal(raw.value, field, [...path, 'value'], scope)
          : parameterValue(raw.parameter as string, field, [...path, 'parameter'], scope)
      return operand && { operator: raw.operator, operand: operand as Operand<Scalar> }
    }
    case 'in':
    case 'not in': {
      const at: Path = raw.value !== undefined ? [...path, 'value'] : [...path, 'parameter']
      const named = raw.parameter === undefined ? undefined : scope.parameter(raw.parameter, at)
      const values = raw.value ?? named?.value
      if (values === undefined) return undefined
      if (!Array.isArray(values)) {
        scope.report(at, `the parameter ${raw.parameter} must be a list of codes for ${raw.operator}`)
        return undefined
      }
      const problems = values
        .map((v) => valueProblem(v, field, 'condition'))
        .filter((problem) => problem !== undefined)
      for (const problem of problems) scope.report(at, problem)
      if (problems.length > 0) return undefined
      return { operator: raw.operator, operand: { value: values, parameter: raw.parameter } }
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const operand = parameterValue(raw.parameter, field, [...path, 'parameter'], scope)
      return operand && { operator: raw.operator, operand: operand as Operand<number> }
    }
    case 'between': {
      const low = parameterValue(raw.low, field, [...path, 'low'], scope)
      const high = parameterValue(raw.high, field, [...path, 'high'], scope)
      if (!low || !high) return undefined
      if ((low.value as number | string) > (high.value as number | string)) {
        scope.report([...path, 'low'], `${raw.low} (${low.value}) is more than ${raw.high} (${high.value})`)
        return undefined
      }
      return {
        operator: 'between',
        low: low as Operand<number | IsoDate>,
        high: high as Operand<number | IsoDate>,
      }
    }
    case 'is set':
    case 'is not set':
      return { operator: raw.operator }
    case 'before':
    case 'after': {
      if (raw.value === 'today')
        return { operator: raw.operator, operand: { value: 'today', parameter: undefined } }
      const operand = parameterValue(raw.parameter as string, field, [...path, 'parameter'], scope)
      return operand && { operator: raw.operator, operand: operand as Operand<IsoDate> }
    }
    case 'within last days':
    case 'within next days':
    case 'more than days ago': {
      const at: Path = [...path, 'parameter']
      const parameter = scope.parameter(raw.parameter, at)
      if (!parameter) return undefined
      const problem = wholeNumberProblem(parameter.value, 0, MAX_DAYS)
      if (problem) {
        scope.report(at, `the parameter ${raw.parameter} ${problem} (days)`)
        return undefined
      }
      return {
        operator: raw.operator,
        operand: { value: parameter.value as number, parameter: raw.parameter },
      }
    }
  }
}

/** The test of a count condition: its operator and the parameters it compares the count with. */
export function countTest(raw: RawCountCondition, path: Path, scope: FileScope): CountTest | undefined {
  switch (raw.operator) {
    case 'some':
    case 'none':
      return { operator: raw.operator }
    case 'between': {
      const low = countBound(raw.low, [...path, 'low'], scope)
      const high = countBound(raw.high, [...path, 'high'], scope)
      if (!low || !high) return undefined
      if (low.value > high.value)
        scope.report(
          [...path, 'low'],
          `${low.parameter} (${low.value}) is more than ${high.parameter} (${high.value})`,
        )
      return { operator: 'between', low, high }
    }
    default: {
      const operand = countBound(raw.parameter, [...path, 'parameter'], scope)
      return operand && { operator: raw.operator, operand }
    }
  }
}

function countBound(name: string, path: Path, scope: FileScope): Operand<number> | undefined {
  const parameter = scope.parameter(name, path)
  if (!parameter) return undefined
  const problem = wholeNumberProblem(parameter.value, 0, MAX_WHOLE_NUMBER)
  if (problem) {
    scope.report(path, `the parameter ${name} ${problem} to compare with a count`)
    return undefined
  }
  return { value: parameter.value as number, parameter: name }
}

/** A value written in the condition: a code, text or yes/no; numbers and dates must be parameters. */
function literal(
  value: unknown,
  field: PersonField | ItemField,
  path: Path,
  scope: FileScope,
): Operand<Scalar> | undefined {
  if (Array.isArray(value)) {
    scope.report(path, 'is a list: use the operator in (or not in) to compare with a list')
    return undefined
  }
  if (field.type.kind === 'number' || (field.type.kind === 'date' && value !== 'today')) {
    scope.report(
      path,
      `${field.name} is ${KIND_WORDS[field.type.kind]}: thresholds must be named parameters (write parameter: with a name defined under parameters)`,
    )
    return undefined
  }
  if (field.type.kind === 'date') return { value: value as string, parameter: undefined }
  const problem = valueProblem(value, field, 'condition')
  if (problem) {
    scope.report(path, problem)
    return undefined
  }
  return { value: value as Scalar, parameter: undefined }
}

function parameterValue(
  name: string,
  field: PersonField | ItemField,
  path: Path,
  scope: FileScope,
): Operand<Scalar> | undefined {
  const parameter = scope.parameter(name, path)
  if (!parameter) return undefined
  if (Array.isArray(parameter.value)) {
    scope.report(
      path,
      `the parameter ${name} is a list: use the operator in (or not in) to compare with a list`,
    )
    return undefined
  }
  const problem = valueProblem(parameter.value, field, 'condition')
  if (problem) {
    scope.report(path, `the parameter ${name} (${JSON.stringify(parameter.value)}) does not fit: ${problem}`)
    return undefined
  }
  return { value: parameter.value as Scalar, parameter: name }
}
