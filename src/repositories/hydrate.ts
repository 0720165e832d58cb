import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

const DATE_TYPES = new Set<unknown>(['timestamptz', 'timestamp', 'timestamp with time zone', 'date', Date]);

/**
 * Entities from rows read by hand (a row of the pool, or one of `json_agg`/`row_to_json`, where dates
 * are strings): each column's value set by TypeORM's own metadata, as a find would, transformers
 * included. For reads that gather several tables in one statement.
 */
export function hydrate<T extends ObjectLiteral>(m: EntityManager, target: EntityTarget<T>, rows: readonly Record<string, unknown>[]): T[] {
  const { columns, target: type } = m.connection.getMetadata(target);
  return rows.map((row) => {
    const entity = m.create(type as EntityTarget<T>);
    for (const column of columns) {
      let value = row[column.databaseName];
      if (value === undefined) continue;
      if (typeof value === 'string' && DATE_TYPES.has(column.type)) value = new Date(value);
      if (value !== null && column.transformer && !Array.isArray(column.transformer)) value = column.transformer.from(value);
      column.setEntityValue(entity, value);
    }
    return entity;
  });
}
