/**
 * Reviewed places where the personal-data census (personal-data-census.test.ts) may find an identity number
 * or a mobile number in clear. Every entry says why it is acceptable; adding one is a security review, not a
 * way to make the test pass. `where` is `table.column` for the database and `GET /url` for list responses.
 */
export interface AllowEntry {
  where: string;
  kind: 'resident-id' | 'phone';
  reason: string;
}

export const PERSONAL_DATA_ALLOW_LIST: readonly AllowEntry[] = [];
