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
  private socket: Client | null = null;

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
   * One graphql-ws connection, opened when first needed. It does not retry by itself: a subscriber
   * that loses its stream subscribes again with what it has seen (designChanged's afterRevision).
   */
  ws(): Client {
    this.socket ??= graphqlWs.createClient({
      url: this.options.wsUrl,
      connectionParams: { authorization: `Bearer ${this.options.token}` },
      lazy: true,
      retryAttempts: 0,
      lazyCloseTimeout: 1000,
    });
    return this.socket;
  }

  /** Drops a connection that failed, so that the next subscription opens a new one. */
  dropWs(): void {
    void this.socket?.dispose();
    this.socket = null;
  }

  async close(): Promise<void> {
    await this.socket?.dispose();
    this.socket = null;
  }
}
