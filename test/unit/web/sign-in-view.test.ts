import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { messages } from '../../../src/web/messages.ts'
import {
  INCORRECT_SIGN_IN,
  readSignInForm,
  signInFormProblems,
  signInPage,
} from '../../../src/web/view-models/sign-in.ts'

describe('the sign-in form', () => {
  it('reads the posted fields, trimming the ID but not the password', () => {
    assert.deepEqual(readSignInForm({ userId: '  jo ', password: ' pass ', returnTo: '/review-tasks' }), {
      userId: 'jo',
      password: ' pass ',
      returnTo: '/review-tasks',
    })
  })

  it('reads a missing body, a repeated field and an unsafe return path as nothing', () => {
    const empty = readSignInForm(undefined)
    assert.equal(empty.userId, '')
    assert.equal(empty.password, '')
    assert.equal(empty.returnTo, undefined)
    const odd = readSignInForm({ userId: ['a', 'b'], password: 'x', returnTo: '//evil.example' })
    assert.equal(odd.userId, '')
    assert.equal(odd.password, 'x')
    assert.equal(odd.returnTo, undefined)
  })

  it('asks for each empty field', () => {
    assert.deepEqual(signInFormProblems({ userId: '', password: '', returnTo: undefined }), [
      { field: 'userId', message: messages.signIn.userIdMissing },
      { field: 'password', message: messages.signIn.passwordMissing },
    ])
    assert.deepEqual(signInFormProblems({ userId: 'jo', password: 'x', returnTo: undefined }), [])
  })

  it('names hidden characters in the user ID, rather than calling the ID incorrect', () => {
    for (const userId of ['jo\u0000', 'jo\tcaseworker', '\u001b[2J']) {
      assert.deepEqual(signInFormProblems({ userId, password: 'x', returnTo: undefined }), [
        { field: 'userId', message: messages.forms.hiddenCharacters('User ID') },
      ])
    }
  })

  it('shows the ID again, the return path, and errors linked to the fields’ ids', () => {
    const page = signInPage({ userId: 'jo', returnTo: '/mi-report' }, INCORRECT_SIGN_IN)
    assert.equal(page.userId, 'jo')
    assert.equal(page.returnTo, '/mi-report')
    assert.deepEqual(page.errors, [{ text: messages.signIn.incorrect, href: '#user-id' }])
    assert.deepEqual(page.fieldErrors, { userId: { text: messages.signIn.incorrect } })
    assert.equal('password' in page, false, 'the password is never sent back')
  })

  it('has no errors when first shown', () => {
    const page = signInPage()
    assert.deepEqual(page.errors, [])
    assert.equal(page.userId, '')
  })
})
