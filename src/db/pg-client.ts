import { Client, type ClientConfig } from 'pg';
import { preparedName } from './prepared-statements';

/** What TypeORM sends to open and end a transaction. */
const BEGIN = 'START TRANSACTION';
const ENDS = new Set(['COMMIT', 'ROLLBACK']);
const NOTHING_SENT = { command: '', rowCount: 0, rows: [], fields: [] };

/**
 * The pool's client. Two things save round trips to PostgreSQL, which on these machines cost more than
 * the statements themselves (each is a system call on both sides and a wake-up of the other process):
 * - a statement declared with `prepared` goes out as that named statement, parsed and planned once per
 *   connection;
 * - a transaction's BEGIN waits for the transaction's first statement and leaves with it, written
 *   together (the connection pipelines: each query carries its own Sync, answers come in order). A
 *   transaction that sent nothing ends without a word to PostgreSQL.
 */
export class PoolClient extends Client {
  private beginPending = false;

  constructor(config: ClientConfig) {
    super({ ...config, pipeline: true });
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's overloads, passed on as they are
  override query(...args: any[]): any {
    const [text, values, callback] = args as [unknown, unknown, unknown];
    if (typeof text !== 'string' || callback !== undefined || typeof values === 'function') return this.send(args);
    if (text === BEGIN && !this.beginPending) {
      this.beginPending = true;
      return Promise.resolve(NOTHING_SENT);
    }
    if (this.beginPending && ENDS.has(text)) {
      this.beginPending = false;
      return Promise.resolve(NOTHING_SENT);
    }
    const name = Array.isArray(values) ? preparedName(text) : undefined;
    const statement = name ? [{ name, text, values }] : args;
    if (!this.beginPending) return this.send(statement);
    this.beginPending = false;
    const stream = this.connection.stream;
    stream.cork();
    let begun: Promise<unknown>;
    let answered: Promise<unknown>;
    try {
      begun = this.send([BEGIN]) as Promise<unknown>;
      answered = this.send(statement) as Promise<unknown>;
    } finally {
      stream.uncork();
    }
    // Should BEGIN fail, the caller hears of it even though the statement ran (outside any transaction).
    return Promise.all([begun, answered]).then(([, answer]) => answer);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private send(args: unknown[]): any {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-explicit-any
    return (super.query as any)(...args);
  }
}
