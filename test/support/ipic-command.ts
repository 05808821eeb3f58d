/**
 * Runs the real `ipic` command in a child process, as an operator would,
 * and collects what it printed and how it exited.
 */
import { spawn } from 'node:child_process'
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
  return new Promise((done) => {
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
    child.stdin.end(input)
    child.on('exit', (code) => done({ code, stdout, stderr }))
  })
}
