/**
 * Runs the real `ipic` command in a child process, as an operator would,
 * and collects what it printed and how it exited.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { join, resolve } from 'node:path'

export interface CommandResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

const ROOT = resolve(import.meta.dirname, '../..')

/** `ipic ARGS…` with `env` over this process's environment (logging silenced unless given); `input` on its standard input. */
export function runIpic(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  input = '',
): Promise<CommandResult> {
  return startIpic(args, env, input).finished
}

export interface RunningCommand {
  /** The process, for a test that stops it part-way (`kill('SIGKILL')`). */
  readonly child: ChildProcess
  /** How it exited, and what it printed. */
  readonly finished: Promise<CommandResult & { readonly signal: NodeJS.Signals | null }>
}

/** `ipic ARGS…` started as runIpic starts it, without waiting for it to finish. */
export function startIpic(args: readonly string[], env: NodeJS.ProcessEnv = {}, input = ''): RunningCommand {
  const child = spawn(process.execPath, [join(ROOT, 'bin/ipic.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => {
    stdout += chunk
  })
  child.stderr.on('data', (chunk) => {
    stderr += chunk
  })
  child.stdin.on('error', () => {})
  child.stdin.end(input)
  const finished = new Promise<CommandResult & { signal: NodeJS.Signals | null }>((done) => {
    child.on('exit', (code, signal) => done({ code, signal, stdout, stderr }))
  })
  return { child, finished }
}
