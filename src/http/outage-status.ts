import type { ApolloServerPlugin } from '@apollo/server';

/**
 * HTTP 503 with Retry-After for a request that failed only because PostgreSQL, Redis or an upstream
 * subgraph is away (every error `retryable`, no data), so that clients and proxies treat it as the
 * outage it is rather than as a bug; a partial answer keeps its 200.
 */
export const outageStatus: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const { data, errors } = response.body.singleResult;
        if (!errors?.length || !errors.every((error) => error.extensions?.retryable === true)) return;
        if (data && Object.values(data).some((value) => value !== null)) return;
        response.http.status = 503;
        response.http.headers.set('retry-after', '1');
      },
    };
  },
};
