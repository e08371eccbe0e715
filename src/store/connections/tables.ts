/** Tables of this feature (see its migration in ../migrations/). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ConnectionTables {}
