/** A comment's body: plain text of 1 to 5000 characters (code points, as the column's CHECK counts). */
export const COMMENT_BODY_MAX = 5000;

/** Mentions one comment may carry: each is a notification, so a comment cannot page a crowd [CM5]. */
export const MENTIONS_MAX = 20;

/** Replies one thread takes [CM7]: the bound the operation cost estimate assumes for an unpaged list (QueryLimits.listBound). */
export const REPLIES_MAX = 100;

const MENTION = /@\[([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\]/g;

/** The distinct users a body mentions with `@[user-uuid]`, in order of first mention, lower case. */
export function mentionedUserIds(body: string): string[] {
  return [...new Set([...body.matchAll(MENTION)].map((match) => match[1]!.toLowerCase()))];
}

/** Why a body cannot be kept, or null: length in code points, something besides white space, no NUL. */
export function bodyProblem(body: string): string | null {
  const length = [...body].length;
  if (length < 1 || length > COMMENT_BODY_MAX) return `must be 1 to ${COMMENT_BODY_MAX} characters`;
  if (!/\S/.test(body)) return 'must not be blank';
  if (body.includes('\u0000')) return 'must not contain NUL characters';
  return null;
}
