import { BadInputError } from '../errors/index.js';

/** Typed field readers that fail with the file, the field and what was wrong. */
export class FieldReader {
  constructor(
    private readonly file: string,
    private readonly data: Record<string, unknown>,
    private readonly prefix = '',
  ) {}

  fail_(key: string, problem: string): Error {
    return new BadInputError(this.file, `field "${this.prefix}${key}" ${problem}`);
  }

  private fail(key: string, problem: string): never {
    throw new BadInputError(this.file, `field "${this.prefix}${key}" ${problem}`);
  }

  has(key: string): boolean {
    return this.data[key] !== undefined && this.data[key] !== null;
  }

  string(key: string, required = false): string | undefined {
    const value = this.data[key];
    if (value === undefined || value === null) return required ? this.fail(key, 'is required') : undefined;
    if (value instanceof Date) return value.toISOString();
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    return this.fail(key, `must be text, got ${describe(value)}`);
  }

  number(key: string, required = false): number | undefined {
    const value = this.data[key];
    if (value === undefined || value === null) return required ? this.fail(key, 'is required') : undefined;
    if (typeof value !== 'number' || !Number.isFinite(value))
      return this.fail(key, `must be a number, got ${describe(value)}`);
    return value;
  }

  integer(key: string, required = false): number | undefined {
    const value = this.number(key, required);
    if (value !== undefined && !Number.isInteger(value)) return this.fail(key, `must be a whole number, got ${value}`);
    return value;
  }

  boolean(key: string, fallback?: boolean): boolean | undefined {
    const value = this.data[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') return this.fail(key, `must be true or false, got ${describe(value)}`);
    return value;
  }

  mapping(key: string): Record<string, unknown> | undefined {
    const value = this.data[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value))
      return this.fail(key, `must be a mapping, got ${describe(value)}`);
    return value as Record<string, unknown>;
  }

  vector3(key: string): [number, number, number] | undefined {
    const value = this.data[key];
    if (value === undefined || value === null) return undefined;
    if (
      !Array.isArray(value) ||
      value.length !== 3 ||
      !value.every((v) => typeof v === 'number' && Number.isFinite(v))
    ) {
      return this.fail(key, 'must be a list of three numbers [x, y, z] in µm');
    }
    return value as [number, number, number];
  }

  child(key: string): FieldReader {
    return new FieldReader(this.file, this.mapping(key) ?? {}, `${this.prefix}${key}.`);
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
}
