import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formErrors, NO_FORM_ERRORS } from '../../../src/web/view-models/forms.ts'

describe('formErrors', () => {
  it('lists each problem for the summary, linking to its field, and gives each field its message', () => {
    const result = formErrors(
      [
        { field: 'userId', message: 'Enter your user ID' },
        { field: 'password', message: 'Enter your password' },
      ],
      { userId: 'user-id' },
    )
    assert.deepEqual(result.errors, [
      { text: 'Enter your user ID', href: '#user-id' },
      { text: 'Enter your password', href: '#password' },
    ])
    assert.deepEqual(result.fieldErrors, {
      userId: { text: 'Enter your user ID' },
      password: { text: 'Enter your password' },
    })
  })

  it('shows only the first problem with a field', () => {
    const result = formErrors([
      { field: 'date', message: 'Enter a date' },
      { field: 'date', message: 'Enter a real date' },
    ])
    assert.deepEqual(result.errors, [{ text: 'Enter a date', href: '#date' }])
    assert.deepEqual(result.fieldErrors, { date: { text: 'Enter a date' } })
  })

  it('is empty when there is no problem', () => {
    assert.deepEqual(formErrors([]), NO_FORM_ERRORS)
  })
})
