import type * as Server from '../src/render/build-scene';
import type { SceneInput as ServerSceneInput } from '../src/render/scene-input';
import type { LayerState as ServerLayer, DesignState as ServerState } from '../src/domain/design-state';
import type { SceneApi, SceneInput, LayerState, DesignState } from '../studio/src/scene-api';

/**
 * The studio declares the scene builder's types instead of importing them (studio/src/scene-api.d.ts
 * says why). This file does not compile when the two drift apart: a field one side has and the
 * other lacks, a server value the studio's types would not describe, or a function of another arity.
 * (The server's enums are not the studio's string unions to the compiler, though their values are.)
 */
type Assert<T extends true> = T;
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;

export type StudioTypesAgree = [
  Assert<SameKeys<SceneInput, ServerSceneInput>>,
  Assert<SameKeys<DesignState, ServerState>>,
  Assert<SameKeys<LayerState, ServerLayer>>,
  Assert<SameKeys<LayerState['customization'], ServerLayer['customization']>>,
  Assert<SameKeys<DesignState['canvas'], ServerState['canvas']>>,
  // The server's values fit the studio's declarations (its enums are the studio's string unions).
  Assert<ServerSceneInput['state'] extends DesignState ? true : false>,
  Assert<SameKeys<SceneApi, Pick<typeof Server, 'buildScene' | 'drawScene' | 'disposeScene'> & { assetCache: unknown }>>,
  Assert<Parameters<typeof Server.buildScene>['length'] extends Parameters<SceneApi['buildScene']>['length'] ? true : false>,
];
