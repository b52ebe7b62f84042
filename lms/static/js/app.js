// Runs only in browsers that support ES modules, which is exactly when nhsuk-frontend's
// JavaScript is supported; the CSS uses these classes to switch on enhanced components.
import { initAll } from '../nhsuk/nhsuk-frontend.min.js'

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported')
initAll()
