/**
 * Each benchmark works in a database of its own on the PostgreSQL server, made
 * afresh for every run so that figures never depend on what an earlier run
 * left behind.
 */
import pg from 'pg'

/** The server the benchmarks use: DATABASE_URL, or the local one. */
export const BENCH_SERVER_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'

/** Drops and creates `name` on the server at `serverUrl`; returns the URL of the new database. */
export async function recreateBenchDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  try {
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.query(`create database ${name}`)
  } finally {
    await admin.end()
  }
  return benchDatabaseUrl(serverUrl, name)
}

export function benchDatabaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}
