/** Open connections by key (a user, an address) on this replica, each key up to its own maximum. */
export function createConnectionCounter() {
  const open = new Map<string, number>();
  return {
    take(key: string, max: number): boolean {
      const count = open.get(key) ?? 0;
      if (count >= max) return false;
      open.set(key, count + 1);
      return true;
    },
    release(key: string) {
      const count = (open.get(key) ?? 1) - 1;
      if (count > 0) open.set(key, count);
      else open.delete(key);
    },
  };
}
