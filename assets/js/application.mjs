// Starts the GOV.UK Frontend components (Exit this page, service navigation …).
// Every page works without this script.
import { initAll } from './govuk-frontend.min.js'

initAll()
