import type { Client } from 'graphql-ws';

/** A GraphQL error as the gateway answers it: the code (CONFLICT, NOT_FOUND…) and its details. */
export class GatewayError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly extensions: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface GatewayOptions {
  httpUrl: string;
  wsUrl: string;
  token: string;
}

/** The studio's one way to the service: the gateway, over HTTP for operations and graphql-ws for subscriptions. */
export class Gateway {
  private readonly sockets = new Set<Client>();

  constructor(private readonly options: GatewayOptions) {}

  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(this.options.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.token}` },
      body: JSON.stringify({ query, variables }),
    });
    let body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw new GatewayError(`the gateway answered HTTP ${response.status} without JSON`, 'NETWORK', {});
    }
    const error = body.errors?.[0];
    if (error) throw new GatewayError(error.message, String(error.extensions?.code ?? 'ERROR'), error.extensions ?? {});
    return body.data as T;
  }

  /**
   * A graphql-ws connection of its own for one stream (a stream that breaks cannot take another
   * down with it), opened when it subscribes. It does not retry by itself: its owner subscribes
   * again on a new one, with what it has seen (designChanged's afterRevision).
   */
  socket(): Client {
    const client = graphqlWs.createClient({
      url: this.options.wsUrl,
      connectionParams: { authorization: `Bearer ${this.options.token}` },
      lazy: true,
      retryAttempts: 0,
    });
    this.sockets.add(client);
    return client;
  }

  /** Closes a stream's connection. */
  release(client: Client): void {
    this.sockets.delete(client);
    void client.dispose();
  }

  async close(): Promise<void> {
    await Promise.all([...this.sockets].map(async (client) => client.dispose()));
    this.sockets.clear();
  }
}
