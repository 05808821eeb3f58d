/*
 * The timeout warning on signed-in pages (views/partials/session-timeout.njk).
 *
 * The server decides when a session ends; this only asks it. Shortly before
 * the idle timeout could come, the page asks how long is left (a request
 * that does not itself keep the session alive), so that another tab's work,
 * or a save the server skipped, never makes it warn too early or too late.
 * With the warning's time left it opens the dialog; when the time is up it
 * asks once more and, if the session has ended, replaces the page with "You
 * have been signed out", so no personal data stays on the screen.
 *
 * The dialog is modal (the page behind it is inert), keeps the focus within
 * its two buttons, and gives the focus back when it closes. Escape means
 * "Stay signed in". The time left is announced politely when its words
 * change, never every second.
 */

/** How soon to ask again when the server could not be reached, or answered a moment too early. */
const RETRY_MS = 30_000
const RECHECK_MS = 500

/** "2 minutes", "1 minute", then "45 seconds", "30 seconds", "15 seconds": the words change a few times only. */
function timeLeftInWords(milliseconds) {
  const seconds = Math.ceil(milliseconds / 1000)
  if (seconds > 45) {
    const minutes = Math.ceil(seconds / 60)
    return minutes === 1 ? '1 minute' : `${minutes} minutes`
  }
  return `${Math.max(15, Math.ceil(seconds / 15) * 15)} seconds`
}

/** @param {HTMLDialogElement} dialog */
function start(dialog) {
  const seconds = (name) => Number(dialog.dataset[name]) * 1000
  const idleMs = seconds('idleSeconds')
  const warningMs = seconds('warningSeconds')
  const time = dialog.querySelector('.app-session-timeout__time')
  const announcement = dialog.querySelector('.app-session-timeout__announcement')
  const keepAliveForm = dialog.querySelector('#session-keep-alive')
  const buttons = [...dialog.querySelectorAll('button')]

  let checkTimer
  let tickTimer
  /** When the session will end (the browser's clock), as the server last said. */
  let endsAt = Date.now() + idleMs
  /** Where the focus was before the dialog opened. */
  let returnFocusTo = null

  function checkIn(milliseconds) {
    clearTimeout(checkTimer)
    checkTimer = setTimeout(check, Math.max(0, milliseconds))
  }

  async function check() {
    let status
    try {
      const response = await fetch(dialog.dataset.statusUrl, {
        headers: { accept: 'application/json' },
        cache: 'no-store',
      })
      if (!response.ok) throw new Error(`session status ${response.status}`)
      status = await response.json()
    } catch {
      // Out of reach: once the time is up, leave the page all the same; until then, ask again.
      if (Date.now() >= endsAt) leave('idle')
      else checkIn(Math.min(RETRY_MS, endsAt - Date.now()))
      return
    }
    if (!status.signedIn) {
      leave(status.endedBecause)
      return
    }
    const idleLeft = status.idleSecondsLeft * 1000
    const absoluteLeft = status.absoluteSecondsLeft * 1000
    endsAt = Date.now() + Math.min(idleLeft, absoluteLeft)
    if (idleLeft > warningMs) {
      close()
      checkIn(Math.min(idleLeft - warningMs, absoluteLeft))
      return
    }
    // "Stay signed in" cannot move the absolute limit: the warning is for the idle timeout.
    open(Date.now() + idleLeft)
    checkIn(Math.max(RECHECK_MS, Math.min(idleLeft, absoluteLeft)))
  }

  function open(deadline) {
    if (!dialog.open) {
      returnFocusTo = document.activeElement
      time.textContent = timeLeftInWords(deadline - Date.now())
      announcement.textContent = ''
      dialog.showModal()
      buttons[0].focus()
    }
    tick(deadline)
  }

  /** Updates the words when they change; the heading is read when the dialog opens, the rest announced. */
  function tick(deadline) {
    clearTimeout(tickTimer)
    const words = timeLeftInWords(deadline - Date.now())
    if (time.textContent !== words) {
      time.textContent = words
      announcement.textContent = `You will be signed out in ${words}`
    }
    if (deadline > Date.now()) tickTimer = setTimeout(() => tick(deadline), 1000)
  }

  function close() {
    clearTimeout(tickTimer)
    if (!dialog.open) return
    dialog.close()
    if (returnFocusTo instanceof HTMLElement && returnFocusTo.isConnected) returnFocusTo.focus()
    returnFocusTo = null
  }

  async function staySignedIn() {
    close()
    try {
      const response = await fetch(keepAliveForm.action, {
        method: 'POST',
        body: new URLSearchParams(new FormData(keepAliveForm)),
        // A session that has already ended is answered with a redirect: not followed, the check below says why.
        redirect: 'manual',
      })
      if (response.status === 204) {
        endsAt = Date.now() + idleMs
        checkIn(idleMs - warningMs)
        return
      }
    } catch {
      // The check below finds out whether the session is still there.
    }
    check()
  }

  /** Replaces the page (not a new history entry: "back" should not show it again from memory). */
  function leave(reason) {
    clearTimeout(checkTimer)
    clearTimeout(tickTimer)
    const url = new URL(dialog.dataset.timedOutUrl, window.location.href)
    if (reason) url.searchParams.set('reason', reason)
    url.searchParams.set('returnTo', window.location.pathname + window.location.search)
    window.location.replace(url)
  }

  keepAliveForm.addEventListener('submit', (event) => {
    event.preventDefault()
    staySignedIn()
  })
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault()
    staySignedIn()
  })
  // The page behind is inert, but Tab would still leave for the browser's own controls: keep it on the buttons.
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return
    const first = buttons[0]
    const last = buttons[buttons.length - 1]
    if (event.shiftKey ? document.activeElement === first : document.activeElement === last) {
      event.preventDefault()
      ;(event.shiftKey ? last : first).focus()
    }
  })

  checkIn(seconds('firstCheckSeconds'))
}

const dialog = document.getElementById('session-timeout')
if (dialog instanceof HTMLDialogElement && typeof dialog.showModal === 'function') start(dialog)
