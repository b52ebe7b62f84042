// Runs only in browsers that support ES modules, which is exactly when nhsuk-frontend's
// JavaScript is supported; the CSS uses these classes to switch on enhanced components.
import { initAll } from '../nhsuk/nhsuk-frontend.min.js'

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported')
initAll()

// The skip link adds #maincontent to the address. A form on the page posts to that address
// and its redirect keeps the fragment, so the next page would open at its main content and
// the browser would take the focus the error summary had just been given (GOV.UK Frontend
// issue 4465). Once the skip link has moved the focus, the fragment has done its job.
window.addEventListener('hashchange', () => {
  if (window.location.hash === '#maincontent') {
    window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search)
  }
})
