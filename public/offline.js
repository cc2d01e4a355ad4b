// Linli offline drafts. A form marked `data-offline-draft` (a report, a volunteer's shift) written
// with no network is kept on the phone (IndexedDB, photos included) and sent when the network
// returns; the person is told which drafts were sent.
// Plain script, no build step. Texts come from the page (#offline-texts), so they stay in the
// app's i18n; this file holds no UI words.
(() => {
  'use strict';
  const DB_NAME = 'linli-drafts';
  const STORE = 'drafts';
  const SENT_KEY = 'linli-sent-drafts';

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js').catch(() => {});
  }

  const openDb = () =>
    new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });

  const withStore = async (mode, work) => {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(result.result);
      tx.onerror = () => reject(tx.error);
    });
  };

  const texts = () => document.getElementById('offline-texts')?.dataset ?? {};

  const notice = (message, links = []) => {
    let box = document.getElementById('draft-notice');
    if (!box) {
      box = document.createElement('div');
      box.id = 'draft-notice';
      box.className = 'notice draft-notice';
      box.setAttribute('role', 'status');
      box.setAttribute('aria-live', 'polite');
      document.body.appendChild(box);
    }
    box.replaceChildren(document.createTextNode(message));
    for (const { href, label } of links) {
      const a = document.createElement('a');
      a.href = href;
      a.textContent = label;
      box.append(' ', a);
    }
  };

  // Everything the form holds; files are stored as Blobs, which IndexedDB keeps as they are.
  const saveDraft = async (form) => {
    const fields = [];
    for (const [name, value] of new FormData(form).entries()) {
      if (value instanceof File) {
        if (value.size > 0) fields.push({ name, file: value, fileName: value.name, type: value.type });
      } else {
        fields.push({ name, value });
      }
    }
    const action = new URL(form.action, location.href).pathname;
    await withStore('readwrite', (s) => s.add({ fields, action, savedAt: Date.now() }));
  };

  // Drafts saved before forms were told apart are reports.
  const actionOf = (draft) => draft.action ?? '/report';

  const freshToken = async (action) => {
    const html = await (await fetch(action, { credentials: 'same-origin' })).text();
    const m = html.match(/name="csrf" value="([0-9a-f]+)"/);
    return m ? m[1] : '';
  };

  const post = (action, fields, csrf) => {
    const body = new FormData();
    for (const f of fields) {
      if (f.name === 'csrf' && csrf) body.append('csrf', csrf);
      else if (f.file) body.append(f.name, f.file, f.fileName);
      else body.append(f.name, f.value);
    }
    return fetch(action, { method: 'POST', body, credentials: 'same-origin' });
  };

  let sending = false;
  const sendDrafts = async () => {
    if (sending || !navigator.onLine) return;
    sending = true;
    try {
      const drafts = await withStore('readonly', (s) => s.getAll());
      const sent = [];
      for (const draft of drafts) {
        let res;
        try {
          const action = actionOf(draft);
          res = await post(action, draft.fields);
          // The session's token may have changed since the draft was written.
          if (res.status === 403) res = await post(action, draft.fields, await freshToken(action));
        } catch {
          break; // still offline after all: try again on the next 'online'
        }
        const url = new URL(res.url);
        // Taken: the server answered with a redirect to the result (a case, the shift log).
        if (res.ok && res.redirected) {
          await withStore('readwrite', (s) => s.delete(draft.id));
          const isCase = url.pathname.startsWith('/case/');
          const label = isCase ? decodeURIComponent(url.pathname.slice('/case/'.length)) : texts().sentShift ?? '';
          // The private link (with its key) is on the page the redirect led to, never in its URL:
          // keep it on the phone, so the reporter can come back after the key's cookie is gone.
          let href = url.pathname + url.search;
          if (isCase) {
            const m = (await res.text()).match(/href="([^"]+)"[^>]*data-testid="private-link"/);
            if (m) href = m[1].replace(/&amp;/g, '&');
          }
          sent.push({ code: label, href });
        } else if (res.status === 422) {
          // The server refused it (e.g. outside the city): keep it, and say so.
          notice(texts().refused ?? '');
        }
      }
      if (sent.length) {
        const previous = JSON.parse(localStorage.getItem(SENT_KEY) ?? '[]');
        localStorage.setItem(SENT_KEY, JSON.stringify([...previous, ...sent].slice(-20)));
        notice(texts().sent ?? '', sent.map((s) => ({ href: s.href, label: s.code })));
      }
    } finally {
      sending = false;
    }
  };

  const keep = (form, message) =>
    saveDraft(form).then(
      () => {
        form.reset();
        notice(message ?? '');
      },
      () => notice(texts().failed ?? ''),
    );

  // A weak network may say it is online and still drop the post: give up waiting after this long.
  const SEND_TIMEOUT_MS = 60_000;

  // The report is sent by fetch, so a post the network drops is kept as a draft instead of ending
  // on the browser's error page. Offline, it is kept at once. A refusal or a server error is posted
  // again the plain way, so the page with the reasons is shown as without JavaScript.
  document.addEventListener(
    'submit',
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-offline-draft')) return;
      event.preventDefault();
      // A form may word its own messages (a shift is not a report).
      const saved = form.dataset.offlineSaved ?? texts().saved;
      const unsent = form.dataset.offlineUnsent ?? texts().unsent;
      if (!navigator.onLine) {
        keep(form, saved);
        return;
      }
      const body = new FormData(form, event.submitter);
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), SEND_TIMEOUT_MS);
      fetch(form.action, { method: 'POST', body, credentials: 'same-origin', signal: abort.signal }).then(
        (res) => {
          clearTimeout(timer);
          const url = new URL(res.url);
          if (res.ok && res.redirected) location.assign(url.pathname + url.search + url.hash);
          else form.submit();
        },
        () => {
          clearTimeout(timer);
          keep(form, unsent);
        },
      );
    },
    true,
  );

  window.addEventListener('online', () => sendDrafts());
  // Wait for the app to hydrate before touching the page, then send what is waiting.
  let waited = 0;
  const start = () => {
    if (window.__linliHydrated || waited > 10_000) sendDrafts();
    else {
      waited += 200;
      setTimeout(start, 200);
    }
  };
  start();
})();
