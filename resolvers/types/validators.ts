import { Matches, MaxLength, registerDecorator, type ValidationOptions } from 'class-validator';
import { TEXT_MAX } from '../../src/domain/text-limits';

export const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** Text that labels something (a name, a checkpoint message) needs something besides white space. */
export const NotBlank = () => Matches(/\S/, { message: 'must not be blank' });

/** A design, layer or group name: visible, and as long as its column takes at most. */
export function IsName(): PropertyDecorator {
  const decorators = [MaxLength(TEXT_MAX.name), NotBlank()];
  return (target, property) => decorators.forEach((decorate) => decorate(target, property));
}

/** JSON values stored as given, up to a size in bytes of their JSON text. */
export function MaxJsonBytes(bytes: number, options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'maxJsonBytes',
      target: object.constructor,
      propertyName,
      options: { message: `must be at most ${bytes} bytes of JSON`, ...options },
      validator: {
        validate: (value: unknown) => value === undefined || value === null || Buffer.byteLength(JSON.stringify(value)) <= bytes,
      },
    });
}

/** Each string of a list: trimmed length within bounds. */
export function EachLength(min: number, max: number, options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'eachLength',
      target: object.constructor,
      propertyName,
      options: { message: `each entry must be ${min} to ${max} characters`, ...options },
      validator: {
        validate: (value: unknown) =>
          value === undefined ||
          value === null ||
          (Array.isArray(value) && value.every((v) => typeof v === 'string' && v.trim().length >= min && v.length <= max)),
      },
    });
}
