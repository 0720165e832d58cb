/**
 * Models and textures by URL, each loaded once while remembered: at most `limit` of them, the least
 * recently used leaving first, and a failed load is forgotten so that the next use tries again.
 * No runtime import: the renderer's browser page loads this file as a plain script too.
 */
export function assetCache<T>(limit: number): (url: string, load: () => Promise<T>) => Promise<T> {
  const entries = new Map<string, Promise<T>>();
  return (url, load) => {
    let entry = entries.get(url);
    if (entry) {
      entries.delete(url);
    } else {
      const loading = load();
      loading.catch(() => entries.get(url) === loading && entries.delete(url));
      entry = loading;
    }
    entries.set(url, entry);
    if (entries.size > limit) entries.delete(entries.keys().next().value!);
    return entry;
  };
}
