import type { SceneApi } from './scene-api.js';

declare global {
  /** graphql-ws's UMD build (/vendor/graphql-ws.js). */
  const graphqlWs: typeof import('graphql-ws');
  interface Window {
    /** The scene builder, loaded as a plain script (index.html). */
    exports: SceneApi;
  }
}
