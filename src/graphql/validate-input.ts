import { validate, type ValidationError } from 'class-validator';
import { DesignError, ErrorCode } from '../errors/design-error';

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
 * TypeGraphQL's argument validator: class-validator on every input object, failing with one
 * BAD_USER_INPUT that names each offending field.
 */
export async function validateInput(value: unknown): Promise<void> {
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
