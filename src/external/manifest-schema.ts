// The JSON Schema of module.yml (docs/modules.md). Ajv checks a manifest against it, so every
// problem comes back with the key that has it.

export const COLUMN_TYPES = [
  'text',
  'integer',
  'bigint',
  'double',
  'boolean',
  'timestamptz',
  'jsonb',
  'float32[]',
] as const;
export type ColumnTypeName = (typeof COLUMN_TYPES)[number];

export const REFERENCE_TABLES = ['experiment', 'cell', 'pair'] as const;
export type ReferenceTable = (typeof REFERENCE_TABLES)[number];

const IDENTIFIER = '^[a-z][a-z0-9_]{0,62}$';

const column = {
  oneOf: [
    { type: 'string', enum: COLUMN_TYPES },
    {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: {
        type: { type: 'string', enum: COLUMN_TYPES },
        required: { type: 'boolean' },
        references: { type: 'string', enum: REFERENCE_TABLES },
        unit: { type: 'string' },
        description: { type: 'string' },
      },
    },
  ],
};

export const manifestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'version', 'command'],
  properties: {
    name: { type: 'string', pattern: IDENTIFIER },
    version: { type: ['string', 'number'] },
    description: { type: 'string' },
    dependencies: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
    command: {
      oneOf: [
        { type: 'array', items: { type: 'string' }, minItems: 1 },
        { type: 'string', minLength: 1 },
      ],
    },
    params: { type: 'object' },
    tables: {
      type: 'object',
      propertyNames: { pattern: IDENTIFIER },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['columns'],
        properties: {
          description: { type: 'string' },
          columns: {
            type: 'object',
            minProperties: 1,
            propertyNames: { pattern: IDENTIFIER, not: { enum: ['id', 'experiment_id'] } },
            additionalProperties: column,
          },
        },
      },
    },
    taskQueue: { type: 'string', minLength: 1, maxLength: 200 },
    timeout: { type: 'string', minLength: 1 },
    memory: { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$' },
    inputs: { type: 'array', items: { type: 'string', minLength: 1 } },
    env: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
    python: {
      type: 'object',
      additionalProperties: false,
      required: ['requirements'],
      properties: { requirements: { type: 'string', minLength: 1 } },
    },
  },
} as const;
