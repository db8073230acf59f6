// Runs inside the page (Playwright sends its source): plain JavaScript, as the tests' TypeScript has no DOM types.
/** Everything the page's origin keeps in browser storage, as one JSON text. */
export async function readBrowserStorage() {
  const dump = (storage) => Object.keys(storage).map((key) => `${key}=${storage.getItem(key) ?? ''}`);
  const databases = await indexedDB.databases();
  const stored = [];
  for (const { name } of databases) {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    for (const storeName of Array.from(db.objectStoreNames)) {
      const all = await new Promise((resolve) => {
        const request = db.transaction(storeName).objectStore(storeName).getAll();
        request.onsuccess = () => resolve(request.result);
      });
      stored.push(`${name}/${storeName}=${JSON.stringify(all)}`);
    }
    db.close();
  }
  const cached = [];
  for (const cacheName of await caches.keys()) {
    const cache = await caches.open(cacheName);
    for (const request of await cache.keys()) cached.push(`${cacheName}:${request.url}=${await (await cache.match(request)).text()}`);
  }
  const workers = navigator.serviceWorker ? (await navigator.serviceWorker.getRegistrations()).map((r) => r.scope) : [];
  return JSON.stringify({
    localStorage: dump(localStorage),
    sessionStorage: dump(sessionStorage),
    indexedDB: [...databases.map((d) => d.name), ...stored],
    cacheStorage: cached,
    serviceWorkers: workers,
  });
}
