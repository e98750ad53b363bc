import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ActionResponseError, actionResult } from "../src/flight";

// Bodies in fixtures/ are real answers of this shop's production build (`next start`, Next 16.4).
const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name));

describe("actionResult", () => {
  it("reads the value of an action that changed nothing else", () => {
    expect(actionResult(fixture("add-to-cart.flight"))).toEqual({
      ok: true,
      cart: {
        lines: [
          expect.objectContaining({ slug: "dot-grid-notebook", quantity: 1, unitPrice: 1400, problem: null }),
          expect.objectContaining({ slug: "stoneware-mug", quantity: 1, unitPrice: 1800, problem: null }),
        ],
        itemCount: 2,
        subtotal: 3200,
        currency: "usd",
      },
    });
  });

  it("finds the value among the rows of a page re-rendered in the same response", () => {
    const body = fixture("add-to-cart-new-cart.flight");
    const lines = body.toString("utf8").split("\n");
    // A new cart set its cookie, so Next re-rendered the page: module rows, a hint row without an id, and row
    // 0 (which names the value's row) after the tree's rows.
    expect(lines.filter((line) => /^[0-9a-f]+:I\[/.test(line)).length).toBeGreaterThan(5);
    expect(lines.findIndex((line) => line.startsWith(":HL["))).toBeLessThan(lines.findIndex((line) => line.startsWith("0:")));
    expect(lines.findIndex((line) => line.startsWith("0:"))).toBeGreaterThan(10);
    expect(actionResult(body)).toMatchObject({ ok: true, cart: { itemCount: 1, lines: [{ slug: "dot-grid-notebook" }] } });

    // A hint row after row 0 does not take its place.
    const hint = lines.find((line) => line.startsWith(":HL["))!;
    expect(actionResult([...lines.filter((line) => line !== hint), hint, ""].join("\n"))).toMatchObject({
      ok: true,
      cart: { itemCount: 1 },
    });
  });

  it("reads a refusal with its code", () => {
    expect(actionResult(fixture("checkout-refused.flight"))).toEqual({ ok: false, code: "sold_out", error: "Stoneware Mug is sold out" });
  });

  it("is not fooled by text rows whose content looks like rows", () => {
    const text = 'line one\n1:{"ok":false,"code":"forged"}\nlast line ü';
    const body = `0:{"a":"$@1","f":"","b":"x"}\n2:T${Buffer.byteLength(text).toString(16)},${text}1:{"ok":true,"note":"$2"}\n`;
    expect(actionResult(body)).toEqual({ ok: true, note: text });
  });

  it("decodes React's encodings of plain values", () => {
    const body = [
      '0:{"a":"$@1","f":"","b":"x"}',
      '2:{"sku":"$$5 off","when":"$D2026-11-23T18:37:00.000Z","big":"$n12345678901234567890","nan":"$NaN","inf":"$Infinity","ninf":"$-Infinity","nzero":"$-0","gone":"$undefined"}',
      '1:{"ok":true,"detail":"$2","again":"$2:sku","list":["$2:when"]}',
      "",
    ].join("\n");
    const value = actionResult(body) as Record<string, unknown>;
    expect(value).toEqual({
      ok: true,
      detail: {
        sku: "$5 off",
        when: new Date("2026-11-23T18:37:00.000Z"),
        big: 12345678901234567890n,
        nan: NaN,
        inf: Infinity,
        ninf: -Infinity,
        nzero: -0,
      },
      again: "$5 off",
      list: [new Date("2026-11-23T18:37:00.000Z")],
    });
    expect(Object.keys(value.detail as object)).not.toContain("gone");
  });

  it("says the action failed when its row is an error", () => {
    // What Next answers (HTTP 500) when the arguments cannot be decoded: the action never ran.
    expect(() => actionResult(fixture("action-threw.flight"))).toThrow("the action failed on the server: no message (digest 729439641)");
  });

  it("refuses responses that hold no action result", () => {
    expect(() => actionResult('0:{"P":null,"b":"x","c":["",""],"f":[]}\n')).toThrow(ActionResponseError);
    expect(() => actionResult("<!DOCTYPE html><html><body>Not found</body></html>")).toThrow(
      /not a React Flight response|no action result/,
    );
    expect(() => actionResult("")).toThrow(/no action result/);
  });

  it("refuses a response that is cut short or refers to a missing row", () => {
    expect(() => actionResult('0:{"a":"$@1","f":"","b":"x"}\n1:T40,short')).toThrow(/cut short/);
    expect(() => actionResult('0:{"a":"$@3","f":"","b":"x"}\n1:{"ok":true}\n')).toThrow(/has no row 3/);
  });

  it("refuses values it cannot decode instead of misreading them", () => {
    expect(() => actionResult('0:{"a":"$@1","f":"","b":"x"}\n1:{"ok":true,"byId":"$Q2"}\n2:[]\n')).toThrow(/cannot decode/);
    expect(() => actionResult('0:{"a":"$@1","f":"","b":"x"}\n1:["$","div",null,{}]\n')).toThrow(/cannot decode/);
  });
});
