// The session console, enhanced. Without this file every part is a plain form that posts
// and comes back. With it:
// - forms marked data-autosave are sent in the background as the facilitator types
//   (asking for JSON), and what has not reached the server yet is kept in this browser
//   (localStorage) and sent again when the connection returns or the page is reloaded;
// - the stage timer counts from the time the server recorded, so a reload keeps it.

const PENDING = 'als-console:'
const DELAY = 800
const RETRY = 10000

function key (form) {
  return PENDING + form.getAttribute('action')
}

function values (form) {
  const out = []
  for (const [name, value] of new FormData(form)) {
    if (name !== 'csrf_token') out.push([name, value])
  }
  return out
}

function restore (form, saved) {
  for (const [name, value] of saved) {
    for (const field of form.elements) {
      if (field.name !== name) continue
      if (field.type === 'radio' || field.type === 'checkbox') {
        field.checked = field.value === value
      } else {
        field.value = value
      }
    }
  }
}

function status (form, text, problem) {
  const el = form.querySelector('[data-save-status]')
  if (!el) return
  el.textContent = text
  el.classList.toggle('app-save-status--problem', Boolean(problem))
}

async function send (form) {
  const body = new FormData(form)
  // What was waiting in this browser when this save left: anything typed after it is kept.
  const pending = localStorage.getItem(key(form))
  form.dataset.sending = 'true'
  try {
    const response = await fetch(form.getAttribute('action'), {
      method: 'POST',
      body,
      headers: { 'X-Requested-With': 'fetch', Accept: 'application/json' },
      credentials: 'same-origin'
    })
    const data = await response.json()
    if (data.ok) {
      // Changed while this save was on its way: keep the change here (and "Saving…")
      // until the save already timed for it gets through.
      if (localStorage.getItem(key(form)) === pending) {
        localStorage.removeItem(key(form))
        status(form, form.dataset.savedText.replace('%(time)s', data.saved_at))
      }
      if (data.reload) window.location.reload()
    } else {
      // The server refused it (a rule, not the network): say why, and keep it here.
      status(form, (data.errors || []).join(' '), true)
    }
  } catch (error) {
    status(form, form.dataset.offlineText, true)
  } finally {
    delete form.dataset.sending
  }
}

function watch (form) {
  const labels = document.querySelector('[data-console-labels]')
  form.dataset.savedText = labels.dataset.saved
  form.dataset.offlineText = labels.dataset.offline
  let timer = null
  const changed = () => {
    localStorage.setItem(key(form), JSON.stringify(values(form)))
    status(form, labels.dataset.saving)
    clearTimeout(timer)
    timer = setTimeout(() => send(form), DELAY)
  }
  form.addEventListener('input', changed)
  form.addEventListener('change', changed)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    clearTimeout(timer)
    send(form)
  })
  const saved = localStorage.getItem(key(form))
  if (saved) {
    restore(form, JSON.parse(saved))
    send(form)
  }
}

function retryAll () {
  for (const form of document.querySelectorAll('form[data-autosave]')) {
    if (localStorage.getItem(key(form)) && !form.dataset.sending) send(form)
  }
}

function clock (el) {
  const started = new Date(el.dataset.started)
  const minutes = Number(el.dataset.minutes)
  const format = (seconds) => {
    const m = Math.floor(seconds / 60)
    const s = String(seconds % 60).padStart(2, '0')
    return `${m}:${s}`
  }
  const tick = () => {
    const elapsed = Math.max(0, Math.floor((Date.now() - started.getTime()) / 1000))
    const left = minutes * 60 - elapsed
    const template = left >= 0 ? el.dataset.labelLeft : el.dataset.labelOver
    el.textContent = template
      .replace('%(time)s', format(Math.abs(left)))
      .replace('%(minutes)d', String(minutes))
    el.classList.toggle('app-timer--over', left < 0)
  }
  tick()
  setInterval(tick, 1000)
}

for (const form of document.querySelectorAll('form[data-autosave]')) watch(form)
for (const el of document.querySelectorAll('[data-timer]')) clock(el)
window.addEventListener('online', retryAll)
setInterval(retryAll, RETRY)
