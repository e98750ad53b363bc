import { describe, expect, it } from "vitest";
import { dayOffset, formatDay, parseDay, parseDayRange } from "./dates";

describe("parseDay", () => {
  it("reads a YYYY-MM-DD day as its start in UTC", () => {
    expect(parseDay("2026-11-23")?.toISOString()).toBe("2026-11-23T00:00:00.000Z");
    expect(parseDay("2028-02-29")?.toISOString()).toBe("2028-02-29T00:00:00.000Z");
  });

  it("refuses days that do not exist instead of rolling them over", () => {
    for (const value of ["2026-02-30", "2026-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32"]) {
      expect(parseDay(value), value).toBeNull();
    }
  });

  it("refuses anything that is not exactly YYYY-MM-DD", () => {
    for (const value of [
      "",
      "2026-1-05",
      "26-01-05",
      "2026/01/05",
      "2026-01-05T00:00:00Z",
      " 2026-01-05",
      "2026-01-05 ",
      "tomorrow",
      "2026-01-05\n",
    ]) {
      expect(parseDay(value), JSON.stringify(value)).toBeNull();
    }
    for (const value of [undefined, null, 20260105, new Date("2026-01-05T00:00:00Z"), ["2026-01-05"]]) {
      expect(parseDay(value), String(value)).toBeNull();
    }
  });
});

describe("formatDay and dayOffset", () => {
  it("name the UTC day, whatever the time of day", () => {
    const lateEvening = new Date("2026-03-01T23:59:59.999Z");
    expect(formatDay(lateEvening)).toBe("2026-03-01");
    expect(dayOffset(lateEvening, 0)).toBe("2026-03-01");
    expect(dayOffset(lateEvening, 1)).toBe("2026-02-28");
    expect(dayOffset(lateEvening, 29)).toBe("2026-01-31");
    expect(dayOffset(lateEvening, -1)).toBe("2026-03-02");
  });
});

describe("parseDayRange", () => {
  const day = (value: string) => new Date(`${value}T00:00:00.000Z`);

  it("is the half-open interval from the start of `from` to the start of the day after `to`", () => {
    expect(parseDayRange("2026-11-01", "2026-11-23")).toEqual({ ok: true, from: day("2026-11-01"), to: day("2026-11-24") });
    expect(parseDayRange("2026-12-31", "2026-12-31")).toEqual({ ok: true, from: day("2026-12-31"), to: day("2027-01-01") });
    expect(parseDayRange("2028-02-28", "2028-02-29")).toEqual({ ok: true, from: day("2028-02-28"), to: day("2028-03-01") });
  });

  it("leaves an absent end open", () => {
    expect(parseDayRange("2026-11-01", undefined)).toEqual({ ok: true, from: day("2026-11-01"), to: null });
    expect(parseDayRange(null, "2026-11-23")).toEqual({ ok: true, from: null, to: day("2026-11-24") });
    expect(parseDayRange("", "")).toEqual({ ok: true, from: null, to: null });
    expect(parseDayRange(undefined, undefined)).toEqual({ ok: true, from: null, to: null });
  });

  it("refuses a present end that is not a real day, even when the other end is fine", () => {
    expect(parseDayRange("2026-02-30", "2026-03-05")).toMatchObject({ ok: false });
    expect(parseDayRange("2026-02-01", "2026-02-30")).toMatchObject({ ok: false });
    expect(parseDayRange("2026-02-30", undefined)).toMatchObject({ ok: false });
    expect(parseDayRange(undefined, "soon")).toMatchObject({ ok: false });
  });

  it("refuses a start after the end, but not a one-day range", () => {
    expect(parseDayRange("2026-11-24", "2026-11-23")).toMatchObject({ ok: false });
    expect(parseDayRange("2027-01-01", "2026-12-31")).toMatchObject({ ok: false });
    expect(parseDayRange("2026-11-23", "2026-11-23")).toMatchObject({ ok: true });
  });
});
