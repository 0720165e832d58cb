import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { buildFederatedSchema } from '../src/graphql/build-schema';
import { addLayer, gql, ITEM, makeDesign, makeUser, startDesignSubgraph, withDb, type GraphQLResponse, type TestUser } from './helpers';

/**
 * Every argument of every query and mutation, driven by the schema (so new fields are covered as they
 * are added): each call is made with valid values for all arguments but one, and that one wrong,
 * extreme or malicious. Whatever the answer, it is never INTERNAL_SERVER_ERROR; a call that fails
 * leaves the caller's and the other user's data as it was; and nothing of the other user's private
 * design ever shows in an answer.
 */

/** Fields only the gateway calls (tested with the gateway's secret elsewhere). */
const SKIPPED = new Set(['_service', '_entities']);
/** Fields whose `id` is a layer's; any other `id` is the design's. */
const LAYER_ID_FIELDS = new Set(['updateLayer', 'removeLayer', 'duplicateLayer', 'moveLayer']);

const NUL = 'a\u0000b';
const LONE_SURROGATE = 'x\ud800y';
const HUGE = 'x'.repeat(200_000);
const deepJson = (levels: number): unknown => (levels === 0 ? 1 : { a: deepJson(levels - 1) });

interface Fixture {
  caller: TestUser;
  designId: string;
  layerId: string;
  /** The other user's private design: its ids are offered as values, and nothing of it may be read. */
  secret: { designId: string; layerId: string; name: string };
}

/** A valid value of a type, for the arguments not under test (ids point at the caller's own design). */
function validValue(type: GraphQLInputType, name: string, field: string, f: Fixture): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [validValue(nullable.ofType, name, field, f)];
  if (isInputObjectType(nullable)) {
    return Object.fromEntries(
      Object.values(nullable.getFields())
        .filter((input) => isNonNullType(input.type))
        .map((input) => [input.name, validValue(input.type, input.name, field, f)]),
    );
  }
  if (isEnumType(nullable)) return nullable.getValues()[0]!.value;
  switch (nullable.name) {
    case 'ID':
      if (name === 'catalogItemId' || name === 'materialItemId') return ITEM.tshirt;
      if (name === 'layerIds' || (name === 'id' && LAYER_ID_FIELDS.has(field))) return f.layerId;
      if (name === 'designId' || name === 'id') return f.designId;
      return randomUUID();
    case 'String':
      return 'fuzz';
    case 'Int':
      return 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    default:
      return {};
  }
}

/** Wrong, extreme and malicious values of a type. */
function hostileValues(type: GraphQLInputType, name: string, f: Fixture): unknown[] {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    return [null, [], [null], Array.from({ length: 2000 }, () => randomUUID()), ...hostileValues(nullable.ofType, name, f).map((v) => [v])];
  }
  if (isInputObjectType(nullable)) return [null, 'text', [], { unknownField: 1 }];
  if (isEnumType(nullable)) return ['NOT_A_VALUE', nullable.getValues()[0]!.value.toLowerCase(), '', null, 1];
  if (!isScalarType(nullable)) return [null];
  switch (nullable.name) {
    case 'ID':
      return [f.secret.designId, f.secret.layerId, randomUUID(), 'not-a-uuid', '', NUL, LONE_SURROGATE, HUGE, 12, null];
    case 'String':
      return [
        '',
        '   ',
        NUL,
        LONE_SURROGATE,
        HUGE,
        'MjAyNi0xMS0zMFQwMDowMDowMC4wMDBafDEyMw==',
        Buffer.from(`9999-99-99|${randomUUID()}`).toString('base64'),
        Buffer.from('42').toString('base64'),
        "'; DROP TABLE designs; --",
        12,
        null,
      ];
    case 'Int':
      return [-1, 0, 2_147_483_647, -2_147_483_648, 2 ** 53, 1.5, '1', null];
    case 'Float':
      return [-1, 0, 1e308, -1e308, 5e-324, '1', null];
    case 'Boolean':
      return ['true', 0, null];
    case 'JSON':
      return [deepJson(1000), { [NUL]: 1 }, { key: LONE_SURROGATE }, HUGE, Array.from({ length: 50_000 }, (_, i) => i), null];
    default:
      return [null, HUGE];
  }
}

type Path = string[];

/** Every leaf path of an argument's type, nested input objects included (three levels at most). */
function leafPaths(type: GraphQLInputType, depth = 0): { path: Path; type: GraphQLInputType }[] {
  const named = getNamedType(type);
  const here = [{ path: [] as Path, type }];
  if (!isInputObjectType(named) || depth >= 3) return here;
  return [
    ...here,
    ...Object.values(named.getFields()).flatMap((input) =>
      leafPaths(input.type, depth + 1).map((leaf) => ({ path: [input.name, ...leaf.path], type: leaf.type })),
    ),
  ];
}

function withValueAt(base: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  const object = typeof base === 'object' && base !== null && !Array.isArray(base) ? (base as Record<string, unknown>) : {};
  return { ...object, [head]: withValueAt(object[head], rest, value) };
}

/** One call per hostile value of each leaf of each argument, the other arguments valid. */
function* callsOf(operation: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, f: Fixture) {
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  const variables = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const args = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const query = `${operation}${variables ? `(${variables})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
  const valid = (arg: GraphQLArgument) => validValue(arg.type, arg.name, field.name, f);
  for (const arg of field.args) {
    for (const leaf of leafPaths(arg.type)) {
      const name = leaf.path.at(-1) ?? arg.name;
      for (const value of hostileValues(leaf.type, name, f)) {
        const base = Object.fromEntries(field.args.map((a) => [a.name, valid(a)]));
        const hostileArg = withValueAt(leaf.path.length ? base[arg.name] : undefined, leaf.path, value);
        yield {
          label: `${field.name}(${[arg.name, ...leaf.path].join('.')}: ${shown(value)})`,
          query,
          variables: { ...base, [arg.name]: hostileArg },
        };
      }
    }
  }
}

const shown = (value: unknown) => {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    return 'JSON nested past what JSON.stringify takes';
  }
  return text.length > 40 ? `${text.slice(0, 37)}…(${text.length})` : text;
};

/** What any call could have written, of the caller and of the other user. */
async function stateOf(f: Fixture, callerId: string): Promise<string> {
  return withDb(async (db) => {
    const { rows } = await db.query(
      `SELECT
         (SELECT json_agg(json_build_object('id', id, 'revision', revision, 'name', name, 'deleted', deleted_at) ORDER BY id) FROM designs WHERE id = ANY($1)) AS designs,
         (SELECT count(*) FROM designs WHERE owner_id = $2) AS owned,
         (SELECT count(*) FROM layers WHERE design_id = ANY($1)) AS layers,
         (SELECT count(*) FROM design_history WHERE design_id = ANY($1)) AS history,
         (SELECT count(*) FROM design_versions WHERE design_id = ANY($1)) AS versions,
         (SELECT count(*) FROM collaborators WHERE design_id = ANY($1)) AS collaborators,
         (SELECT count(*) FROM exports WHERE design_id = ANY($1)) AS exports,
         (SELECT count(*) FROM renders WHERE design_id = ANY($1)) AS renders`,
      [[f.designId, f.secret.designId], callerId],
    );
    return JSON.stringify(rows[0]);
  });
}

describe('every argument of the schema, with wrong, extreme and malicious values', () => {
  let schema: GraphQLSchema;
  let subgraph: Awaited<ReturnType<typeof startDesignSubgraph>>;
  let fixture: Fixture;
  before(async () => {
    ({ schema } = await buildFederatedSchema());
    // Rate limits off: this is one caller making thousands of calls on purpose.
    subgraph = await startDesignSubgraph({ RATE_LIMITS: 'false' });
    const owner = await makeUser();
    const name = `secret-${randomUUID()}`;
    const secret = await makeDesign(owner, { name });
    const secretLayer = await addLayer(owner, secret.id);
    const caller = await makeUser();
    const mine = await makeDesign(caller);
    const layer = await addLayer(caller, mine.id);
    fixture = { caller, designId: mine.id, layerId: layer.id, secret: { designId: secret.id, layerId: secretLayer.id, name } };
  });
  after(async () => {
    await subgraph?.stop();
  });

  for (const operation of ['query', 'mutation'] as const) {
    test(`${operation} fields: no internal error, no partial write, nothing of another user's private design`, async () => {
      const root = operation === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
      const problems: string[] = [];
      let calls = 0;
      for (const field of Object.values(root.getFields())) {
        if (SKIPPED.has(field.name)) continue;
        for (const call of callsOf(operation, field, fixture)) {
          const before = await stateOf(fixture, fixture.caller.id);
          const result: GraphQLResponse<unknown> = await gql(fixture.caller, call.query, call.variables, subgraph.url);
          calls += 1;
          const codes = (result.errors ?? []).map((e) => e.extensions?.code);
          if (codes.includes('INTERNAL_SERVER_ERROR')) problems.push(`${call.label}: ${JSON.stringify(result.errors)}`);
          if (result.errors?.length && (await stateOf(fixture, fixture.caller.id)) !== before) {
            problems.push(`${call.label}: failed with ${codes.join(', ')} but wrote`);
          }
          const answer = JSON.stringify(result);
          for (const secret of Object.values(fixture.secret)) {
            if (answer.includes(secret) && !JSON.stringify(call.variables).includes(secret))
              problems.push(`${call.label}: shows ${secret}`);
          }
          if (result.data && JSON.stringify(result.data).includes(fixture.secret.name))
            problems.push(`${call.label}: reads the private design`);
        }
      }
      process.stdout.write(`# ${operation}: ${calls} calls, ${problems.length} problems\n`);
      for (const problem of problems) process.stdout.write(`# ${problem.slice(0, 1500)}\n`);
      assert.deepEqual(problems, []);
    });
  }
});
