/**
 * The longest text each column takes, in characters as PostgreSQL's char_length counts them (code
 * points, as class-validator's MaxLength does): the CHECK constraints of src/db/migrations. The
 * GraphQL inputs refuse longer text, so that no constraint violation reaches a caller.
 */
export const TEXT_MAX = {
  /** designs.name, layers.name, layer_groups.name. */
  name: 200,
  /** designs.description. */
  description: 5000,
  /** layers.notes; a tech pack's notes, which have no column, are held to the same. */
  notes: 5000,
  /** design_versions.message. */
  versionMessage: 1000,
} as const;
