import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DatabaseError } from 'pg'
import { isLostConnection, retryOnLostConnection } from '../../src/db/lost-connection.ts'

/** An error as the server sends it: pg gives it the SQLSTATE as `code`. */
function serverError(code: string, message = 'from the server'): DatabaseError {
  const error = new DatabaseError(message, message.length, 'error')
  error.code = code
  return error
}

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code })
}

describe('isLostConnection', () => {
  it("recognises pg's words for a connection that ended", () => {
    assert.ok(isLostConnection(new Error('Connection terminated unexpectedly')))
    assert.ok(isLostConnection(new Error('Connection terminated')))
    assert.ok(isLostConnection(new Error('timeout exceeded when trying to connect')), 'no connection in time')
    assert.ok(isLostConnection(new Error('Client has encountered a connection error and is not queryable')))
    // A transaction's ROLLBACK on the client closed after the server ended its session.
    assert.ok(isLostConnection(new Error('Client was closed and is not queryable')))
  })

  it('recognises the server ending the session, and connection exceptions', () => {
    for (const code of ['57P01', '57P02', '57P03', '08000', '08003', '08006', '08P01']) {
      assert.ok(isLostConnection(serverError(code)), code)
    }
  })

  it("recognises the socket's failures", () => {
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'EPIPE'])
      assert.ok(isLostConnection(socketError(code)), code)
    // What Node gives when every address of a host name refused.
    const refused = Object.assign(new AggregateError([socketError('ECONNREFUSED')]), { code: 'ECONNREFUSED' })
    assert.ok(isLostConnection(refused))
  })

  it('looks through the errors it was caused by', () => {
    const wrapped = new Error('the download failed', {
      cause: new Error('reading failed', { cause: serverError('57P01') }),
    })
    assert.ok(isLostConnection(wrapped))
  })

  it('leaves every other error a bug: SQL errors, other cancellations, timeouts, non-errors', () => {
    const others: unknown[] = [
      serverError('23505', 'duplicate key value violates unique constraint'),
      serverError('57014', 'canceling statement due to user request'),
      serverError('57P04'),
      serverError('53300', 'sorry, too many clients already'),
      serverError('42P01', 'relation does not exist'),
      socketError('ETIMEDOUT'),
      new Error('Connection terminated unexpectedly, said nobody else'),
      new TypeError('x is undefined'),
      'Connection terminated unexpectedly',
      { code: '57P01' },
      null,
      undefined,
    ]
    for (const error of others) assert.equal(isLostConnection(error), false, String(error))
  })

  it('stops on an error that is its own cause', () => {
    const looped = new Error('looped')
    looped.cause = looped
    assert.equal(isLostConnection(looped), false)
  })
})

describe('retryOnLostConnection', () => {
  /** A write that fails with each of `failures` in turn, then succeeds; it counts its calls. */
  function writeFailing(failures: readonly Error[]) {
    const write = async () => {
      write.calls++
      const failure = failures[write.calls - 1]
      if (failure) throw failure
      return 'written'
    }
    write.calls = 0
    return write
  }

  it('tries again after a lost connection, and returns what the write returned', async () => {
    const write = writeFailing([new Error('Connection terminated unexpectedly'), serverError('57P01')])
    assert.equal(await retryOnLostConnection(write, { firstWaitMs: 1 }), 'written')
    assert.equal(write.calls, 3)
  })

  it('gives up after the attempts it was given, throwing the last failure', async () => {
    const lost = [1, 2, 3].map(
      (n) => new Error('Connection terminated', { cause: new Error(`attempt ${n}`) }),
    )
    const write = writeFailing(lost)
    await assert.rejects(
      retryOnLostConnection(write, { attempts: 3, firstWaitMs: 1 }),
      (error) => error === lost[2],
    )
    assert.equal(write.calls, 3)
  })

  it('never repeats a write that failed for any other reason', async () => {
    const refused = serverError('23505', 'duplicate key value violates unique constraint')
    const write = writeFailing([refused])
    await assert.rejects(retryOnLostConnection(write, { firstWaitMs: 1 }), (error) => error === refused)
    assert.equal(write.calls, 1)
  })
})
