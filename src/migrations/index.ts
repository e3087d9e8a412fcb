import { Migration20261122031704_initial } from './Migration20261122031704_initial.js';
import { Migration20261122042427_science } from './Migration20261122042427_science.js';

// Generated migrations, in order. `npm run migration:create -- <name>` writes the next one; add it here.
export const migrationsList = [
  { name: 'Migration20261122031704_initial', class: Migration20261122031704_initial },
  { name: 'Migration20261122042427_science', class: Migration20261122042427_science },
];
