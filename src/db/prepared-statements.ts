/**
 * Statements that each pool connection prepares once and from then on only binds and executes. An
 * unnamed statement is parsed, analysed and planned again at every execution, which was about half of
 * PostgreSQL's CPU per change (a transaction of the write path: 1.11 ms unnamed, 0.63 ms named, measured
 * side by side). Only statements the repositories declare here are named: their texts are fixed, so
 * each connection holds a bounded set, where naming every text (TypeORM's generated ones vary with
 * their arguments) would grow without end. They select no `t.*` column list: a migration that adds a
 * column would change such a statement's result type, which PostgreSQL refuses for a prepared statement
 * ("cached plan must not change result type") until the connection ends; rows are read as `row_to_json(t)`.
 */
const names = new Map<string, string>();

/** Declares `text` as a prepared statement; returns it unchanged, to be passed to `query` as usual. */
export function prepared(text: string): string {
  if (!names.has(text)) names.set(text, `design_${names.size + 1}`);
  return text;
}

/** The name of a statement declared with `prepared`, else undefined (sent unnamed). */
export function preparedName(text: string): string | undefined {
  return names.get(text);
}
