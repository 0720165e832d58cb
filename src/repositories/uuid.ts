const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our ids are UUIDs: anything else names nothing, and must not reach PostgreSQL as a uuid parameter. */
export const isUuid = (id: string): boolean => UUID.test(id);

export const onlyUuids = (ids: readonly string[]): string[] => ids.filter(isUuid);
