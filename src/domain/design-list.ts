/** How a list of designs is sorted (the `designs` query's `orderBy`). */
export enum DesignOrder {
  LAST_EDITED_DESC = 'LAST_EDITED_DESC',
  CREATED_DESC = 'CREATED_DESC',
  NAME_ASC = 'NAME_ASC',
  MOST_FORKED = 'MOST_FORKED',
}

/** Whose designs a list holds (the `designs` query's `filter.scope`). */
export enum DesignScope {
  MINE = 'MINE',
  SHARED_WITH_ME = 'SHARED_WITH_ME',
  PUBLIC = 'PUBLIC',
}
