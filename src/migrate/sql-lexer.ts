/**
 * A PostgreSQL lexer (the "Lexical Structure" chapter of the manual): enough to split catalog output
 * such as pg_get_expr() or pg_get_triggerdef() into tokens, so the drift normaliser can rewrite
 * identifiers and casts without ever touching the inside of a string literal, a quoted identifier
 * or a dollar-quoted body.
 */
import { LexError } from "../errors/operational.js";

export type TokenType =
  /** Unquoted identifier or key word. */
  | "ident"
  /** "Quoted identifier"; `value` is its content. */
  | "qident"
  /** String constant in any form ('...', E'...', U&'...', B'...', X'...', $tag$...$tag$); `value` when decodable. */
  | "string"
  | "number"
  /** Positional parameter $1. */
  | "param"
  | "op"
  /** ( ) [ ] , ; . : and the cast `::`. */
  | "punct";

export interface Token {
  type: TokenType;
  /** The token exactly as written. */
  text: string;
  /** Decoded content of quoted identifiers and standard strings. */
  value?: string;
}

const OPERATOR_CHARS = "+-*/<>=~!@#%^&|`?";
const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Tokens of `text`; whitespace and comments are dropped. Throws LexError on an unterminated quote. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  const at = (k: number) => text[k] ?? "";

  /** A '...' body starting at the opening quote; `backslash` for E'' strings. */
  const quoted = (start: number, quote: string, backslash: boolean): { end: number; value: string } => {
    let k = start + 1;
    let value = "";
    while (k < n) {
      const c = at(k);
      if (backslash && c === "\\") {
        value += at(k + 1);
        k += 2;
        continue;
      }
      if (c === quote) {
        if (at(k + 1) === quote) {
          value += quote;
          k += 2;
          continue;
        }
        return { end: k + 1, value };
      }
      value += c;
      k++;
    }
    throw new LexError(`unterminated ${quote === '"' ? "quoted identifier" : "string"} at offset ${start}`);
  };

  while (i < n) {
    const c = at(i);
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "-" && at(i + 1) === "-") {
      while (i < n && at(i) !== "\n") i++;
      continue;
    }
    if (c === "/" && at(i + 1) === "*") {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (at(i) === "/" && at(i + 1) === "*") {
          depth++;
          i += 2;
        } else if (at(i) === "*" && at(i + 1) === "/") {
          depth--;
          i += 2;
        } else i++;
      }
      continue;
    }
    // String constants with a prefix: E'..', B'..', X'..', N'..', U&'..'.
    const prefix = /^(?:[EeBbXxNn]|[Uu]&)'/.exec(text.slice(i, i + 3))?.[0];
    if (prefix) {
      const start = i + prefix.length - 1;
      const body = quoted(start, "'", /^[Ee]/.test(prefix));
      tokens.push({ type: "string", text: text.slice(i, body.end), value: body.value });
      i = body.end;
      continue;
    }
    if (c === "'") {
      const body = quoted(i, "'", false);
      tokens.push({ type: "string", text: text.slice(i, body.end), value: body.value });
      i = body.end;
      continue;
    }
    if (c === '"' || ((c === "U" || c === "u") && at(i + 1) === "&" && at(i + 2) === '"')) {
      const start = c === '"' ? i : i + 2;
      const body = quoted(start, '"', false);
      tokens.push({ type: "qident", text: text.slice(i, body.end), value: body.value });
      i = body.end;
      continue;
    }
    if (c === "$") {
      const param = /^\$\d+/.exec(text.slice(i));
      if (param) {
        tokens.push({ type: "param", text: param[0] });
        i += param[0].length;
        continue;
      }
      const tag = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(i))?.[0];
      if (tag) {
        const close = text.indexOf(tag, i + tag.length);
        if (close < 0) throw new LexError(`unterminated dollar-quoted string at offset ${i}`);
        const end = close + tag.length;
        tokens.push({ type: "string", text: text.slice(i, end), value: text.slice(i + tag.length, close) });
        i = end;
        continue;
      }
    }
    const number =
      /^(?:0[xX][0-9A-Fa-f_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/.exec(
        text.slice(i),
      );
    if (number && (/\d/.test(c) || (c === "." && /\d/.test(at(i + 1))))) {
      tokens.push({ type: "number", text: number[0] });
      i += number[0].length;
      continue;
    }
    if (IDENT_START.test(c)) {
      let k = i + 1;
      while (k < n && IDENT_PART.test(at(k))) k++;
      tokens.push({ type: "ident", text: text.slice(i, k) });
      i = k;
      continue;
    }
    if (c === ":" && at(i + 1) === ":") {
      tokens.push({ type: "punct", text: "::" });
      i += 2;
      continue;
    }
    if ("()[],;.:".includes(c)) {
      tokens.push({ type: "punct", text: c });
      i++;
      continue;
    }
    if (OPERATOR_CHARS.includes(c)) {
      let k = i;
      while (k < n && OPERATOR_CHARS.includes(at(k))) {
        // A comment start ends the operator.
        if ((at(k) === "-" && at(k + 1) === "-") || (at(k) === "/" && at(k + 1) === "*")) break;
        k++;
      }
      if (k === i) k = i + 1;
      tokens.push({ type: "op", text: text.slice(i, k) });
      i = k;
      continue;
    }
    // Anything else (a stray character) is its own token: never silently dropped.
    tokens.push({ type: "op", text: c });
    i++;
  }
  return tokens;
}
