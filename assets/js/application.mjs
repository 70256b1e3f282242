// Starts the GOV.UK Frontend components (Exit this page, service navigation …)
// and the list of services' small helpers. Every page works without this script.
import { initAll } from './govuk-frontend.min.js'

initAll()

// On a phone the search's filters wait behind "Filter results", so the results come first;
// on a wide screen, where they sit beside the results, they are shown.
if (window.matchMedia('(min-width: 40.0625em)').matches) {
  for (const details of document.querySelectorAll('details[data-open-when-wide]')) {
    details.open = true
  }
}

// Pages that carry the list in their query string (with or without a language prefix):
// the directory, the list, and content pages (which can end with services near you).
const LIST_PAGES = /^(\/[a-z]{2,3})?\/((services|shortlist)(\/[^/]*)?|(start-for-life|pages)\/[^/]+)$/

function listIn (url) {
  const value = url.searchParams.get('s')
  return value ? value.split(',').filter(Boolean) : []
}

function withList (address, list, hash = '') {
  const url = new URL(address, window.location.href)
  if (list.length) {
    url.searchParams.set('s', list.join(','))
  } else {
    url.searchParams.delete('s')
  }
  url.search = url.search.replace(/%2C/gi, ',')
  url.hash = hash
  return url.href
}

// The list with a service added, or taken away if it is there.
function toggled (list, slug) {
  return list.includes(slug) ? list.filter((s) => s !== slug) : [...list, slug]
}

// A button's form holds the list as it is now: the list with the button's service added or taken away.
function toggledIn (form, slug) {
  const field = form.querySelector('[data-list-field]')
  return toggled(field && field.value ? field.value.split(',').filter(Boolean) : [], slug)
}

// "Add to list" and "Remove from list" change the list where the visitor is,
// instead of loading the page again; their links stay right for the next change.
function showList (list, status) {
  // The journey's result is an answer to a POST: its address stays as it is.
  if (LIST_PAGES.test(window.location.pathname)) {
    window.history.replaceState(null, '', withList(window.location.href, list))
  }
  for (const link of document.querySelectorAll('[data-list-toggle]')) {
    const slug = link.dataset.listToggle
    const listed = list.includes(slug)
    if (link.tagName === 'A') {
      link.href = withList(window.location.href, toggled(list, slug), 'list-' + slug)
    }
    link.firstChild.textContent = listed ? status.dataset.remove : status.dataset.add
    const tag = link.parentElement.querySelector('.app-list-toggle__tag')
    if (tag) tag.hidden = !listed
  }
  for (const link of document.querySelectorAll('a[href]:not([data-list-toggle])')) {
    const url = new URL(link.href)
    if (url.origin === window.location.origin && LIST_PAGES.test(url.pathname)) {
      link.href = withList(url.href, list, url.hash.slice(1))
    }
  }
  for (const field of document.querySelectorAll('[data-list-field]')) {
    field.value = list.join(',')
    field.disabled = !list.length
  }
  const yours = document.querySelector('[data-your-list]')
  if (yours) {
    yours.textContent = yours.dataset.yourList.replace('{num}', String(list.length))
    yours.parentElement.hidden = !list.length
  }
}

function initListToggles () {
  const status = document.querySelector('[data-list-status]')
  if (!status) return
  const maximum = Number(status.dataset.maximum)
  document.addEventListener('click', (event) => {
    const link = event.target.closest('[data-list-toggle]')
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return
    const slug = link.dataset.listToggle
    const list = link.tagName === 'A' ? listIn(new URL(link.href)) : toggledIn(link.form, slug)
    if (list.length > maximum) return // the page that loads says the list is full
    event.preventDefault()
    const name = link.querySelector('.govuk-visually-hidden').textContent.replace(/^:\s*/, '')
    showList(list, status)
    status.textContent = (list.includes(slug) ? status.dataset.added : status.dataset.removed).replace('{name}', name)
  })
}

// The list page: a Print button, and a button that copies the list's link.
function initListPage () {
  const print = document.querySelector('[data-list-print]')
  if (print) {
    print.hidden = false
    print.addEventListener('click', () => window.print())
  }
  const copy = document.querySelector('[data-list-copy]')
  const field = document.getElementById('list-link')
  if (copy && field && navigator.clipboard) {
    copy.hidden = false
    copy.addEventListener('click', async () => {
      field.select()
      try {
        await navigator.clipboard.writeText(field.value)
        copy.textContent = copy.dataset.copied
      } catch {
        // The link stays selected in the box, ready to copy by hand.
      }
    })
  }
}

initListToggles()
initListPage()
