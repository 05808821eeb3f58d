/**
 * How the task layer tells the rest of the service that a task changed,
 * without knowing who listens: the review lists keep counts and page starts
 * per region, and a change in a region makes that region's stale. A
 * listener is called after the change has committed, so it never sees a
 * change that was rolled back.
 */

export interface TaskChange {
  /** The region the changed task is in: a task never leaves the region it was recommended in. */
  readonly romRegion: string
}

export type TaskChangeListener = (change: TaskChange) => void
