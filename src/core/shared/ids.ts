declare const brand: unique symbol;
/** A nominal type: a string that the compiler will not confuse with another kind of id. */
export type Brand<T, Name extends string> = T & { readonly [brand]: Name };

export type UserId = Brand<string, 'UserId'>;
export type OrganisationId = Brand<string, 'OrganisationId'>;
export type ThemeId = Brand<string, 'ThemeId'>;
export type PersonId = Brand<string, 'PersonId'>;
export type NeedId = Brand<string, 'NeedId'>;
export type CommentId = Brand<string, 'CommentId'>;
export type ApiTokenId = Brand<string, 'ApiTokenId'>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** True when the text is a UUID, the shape of every id we store. */
export const isUuid = (text: string): boolean => uuidPattern.test(text);
export type LibraryId = Brand<string, 'LibraryId'>;
export type RecordId = Brand<string, 'RecordId'>;
export type ImportBatchId = Brand<string, 'ImportBatchId'>;
export type CandidateId = Brand<string, 'CandidateId'>;

/** New ids, injected so that the core stays free of node:crypto and tests can predict them. */
export interface IdSource {
  newId(): string;
}
