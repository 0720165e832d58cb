import { validate, type ValidationError } from 'class-validator';
import { badInput, DesignError, ErrorCode } from '../errors/design-error';

/** Deeper input (a JSON `extra`, say) is refused before anything recurses through it. */
const MAX_DEPTH = 32;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function assertText(text: string, field: string): void {
  // PostgreSQL refuses both in text and jsonb: found there, they were internal errors.
  if (text.includes('\u0000')) throw badInput(field, 'must not contain NUL characters');
  if (LONE_SURROGATE.test(text)) throw badInput(field, 'must be valid Unicode (it has a lone surrogate)');
}

function assertPlainInput(value: unknown, field: string, depth: number): void {
  if (typeof value === 'string') return assertText(value, field);
  if (value === null || typeof value !== 'object') return;
  if (depth > MAX_DEPTH) throw badInput(field, `is nested too deeply (at most ${MAX_DEPTH} levels)`);
  if (Array.isArray(value)) return value.forEach((item, i) => assertPlainInput(item, `${field}[${i}]`, depth + 1));
  for (const [key, item] of Object.entries(value)) {
    const path = field ? `${field}.${key}` : key;
    assertText(key, path);
    assertPlainInput(item, path, depth + 1);
  }
}

/** Each resolver call's arguments are walked once, whichever of them TypeGraphQL validates first. */
const walked = new WeakSet<object>();

function flatten(errors: ValidationError[], prefix = ''): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * TypeGraphQL's argument validator: every string of the arguments checked for what PostgreSQL
 * refuses (NUL, lone surrogates) and every value for depth, then class-validator on every input
 * object, failing with one BAD_USER_INPUT that names the offending field.
 */
export async function validateInput(value: unknown, _type?: unknown, resolverData?: { args?: Record<string, unknown> }): Promise<void> {
  const args = resolverData?.args;
  if (args && !walked.has(args)) {
    walked.add(args);
    assertPlainInput(args, '', 0);
  }
  const objects = (Array.isArray(value) ? value : [value]).filter((v): v is object => typeof v === 'object' && v !== null);
  const problems = (
    await Promise.all(objects.map((o) => validate(o, { forbidUnknownValues: false, skipMissingProperties: true })))
  ).flatMap((e) => flatten(e));
  if (problems.length > 0) {
    throw new DesignError(ErrorCode.BadUserInput, problems.map((p) => `${p.field}: ${p.message}`).join('; '), {
      field: problems[0]!.field,
      fields: problems,
    });
  }
}
