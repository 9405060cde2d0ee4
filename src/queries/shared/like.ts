/** The one LIKE escape: PostgreSQL's default escape character is `\`, so `\`, `%` and `_` get one. */

/** The LIKE pattern "starts with `text`": its wildcards escaped, then `%`. */
export const likePrefix = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
