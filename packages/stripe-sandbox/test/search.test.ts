import { describe, expect, it } from "vitest";
import { matches, parseQuery, SearchQueryError } from "../src/search.js";

const FIELDS = {
  amount: "number",
  created: "number",
  currency: "string",
  customer: "string",
  metadata: "metadata",
  status: "string",
} as const;

const intent = {
  amount: 2000,
  created: 1_700_000_000,
  currency: "usd",
  customer: null,
  status: "succeeded",
  metadata: { order_id: "ord_123", note: "it's fine" },
};
const read = (field: string, key?: string) =>
  field === "metadata"
    ? (intent.metadata as Record<string, string>)[key!]
    : (intent as unknown as Record<string, string | number | null>)[field];
const hit = (q: string) => matches(parseQuery(q, FIELDS), read);

describe("search query language", () => {
  it("parses clauses, operators and joins", () => {
    expect(parseQuery(`amount>=100 AND status:"succeeded"`, FIELDS)).toEqual({
      join: "AND",
      clauses: [
        { field: "amount", key: undefined, op: ">=", value: 100, negated: false },
        { field: "status", key: undefined, op: ":", value: "succeeded", negated: false },
      ],
    });
    expect(parseQuery(`-metadata['order_id']:'x' OR currency:"eur"`, FIELDS).clauses[0]).toEqual({
      field: "metadata",
      key: "order_id",
      op: ":",
      value: "x",
      negated: true,
    });
  });

  it("matches exact values case-insensitively and numbers by comparison", () => {
    expect(hit(`status:"SUCCEEDED"`)).toBe(true);
    expect(hit(`amount>1999 amount<2001`)).toBe(true);
    expect(hit(`amount>2000`)).toBe(false);
    expect(hit(`amount:2000`)).toBe(true);
  });

  it("supports metadata in either quote style, escapes, substrings, negation and null", () => {
    expect(hit(`metadata["order_id"]:"ord_123"`)).toBe(true);
    expect(hit(`metadata['note']:'it\\'s fine'`)).toBe(true);
    expect(hit(`metadata['order_id']~"d_1"`)).toBe(true);
    expect(hit(`-status:"succeeded"`)).toBe(false);
    expect(hit(`customer:null`)).toBe(true);
    expect(hit(`metadata['missing']:null`)).toBe(true);
    expect(hit(`-customer:null`)).toBe(false);
  });

  it("joins with OR", () => {
    expect(hit(`currency:"eur" OR amount:2000`)).toBe(true);
    expect(hit(`currency:"eur" OR amount:1`)).toBe(false);
  });

  it("refuses what Stripe refuses", () => {
    const bad = [
      `status:"a" AND amount:1 OR currency:"usd"`, // AND with OR
      `(status:"succeeded")`, // parentheses
      `status:succeeded`, // unquoted string
      `foo:"x"`, // unknown field
      `status>"a"`, // range on a string
      `metadata['k']~"ab"`, // substring shorter than 3
      `status:"open`, // unterminated
      ``,
    ];
    for (const q of bad) expect(() => parseQuery(q, FIELDS), q).toThrow(SearchQueryError);
  });
});
