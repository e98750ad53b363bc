// The shape every email shares, written once for both parts: a message is a list of blocks (paragraphs,
// links, item lists, facts, addresses, tables), rendered here as an email-client-safe HTML document (tables
// for layout, inline styles, no external CSS, fonts or images) and as aligned plain text.
import { multiply } from "@/lib/money";
import { totalsRows, type TotalsRow } from "@/lib/pricing/receipt";
import { variantName } from "@/lib/variant-name";
import { countryName, money, oneLine } from "./format";
import { html, linkableUrl, type SafeHtml } from "./html";
import type { ShippingAddress } from "@/lib/shipping-address";
import type { EmailContent, OrderForEmail, Shop } from "./types";

type ItemLine = { name: string; options: string; quantity: number; amount: number | null };
/** `muted`: information that is not part of the sum (a tax the prices include). */
type TotalLine = { label: string; amount: number; strong?: boolean; muted?: boolean };

export type Block =
  | { type: "paragraph"; text: string }
  /** A button in HTML, a bare URL in text; an URL that is not http(s) is shown as text, never linked. */
  | { type: "action"; label: string; url: string; secondary?: boolean }
  /** Label/value pairs: carrier, tracking number, dispute reason… */
  | { type: "facts"; rows: Array<{ label: string; value: string }> }
  /** Line items; `currency` null lists them without prices (a shipment's contents). */
  | { type: "items"; title: string; currency: string | null; lines: ItemLine[]; totals: TotalLine[] }
  | { type: "address"; title: string; address: ShippingAddress }
  | { type: "table"; title: string; columns: Array<{ label: string; numeric?: boolean }>; rows: string[][] };

export type Message = {
  subject: string;
  /** The inbox preview line. */
  preview: string;
  greeting: string | null;
  blocks: Block[];
  /** Why the recipient gets this email. */
  footer: string;
};

const totalLine = (row: TotalsRow): TotalLine => ({
  label: row.label,
  amount: row.amount,
  strong: row.kind === "total",
  muted: row.kind === "tax" && row.included,
});

/**
 * The order's items with line totals, and its totals (refunds so far when there are any). The totals are the
 * rows every document shows (lib/pricing/receipt.ts), so an email adds up like the status page and the admin.
 */
export function orderSummary(order: OrderForEmail, title = "Your order"): Block {
  const totals = totalsRows(order.totals).map(totalLine);
  if (order.amountRefunded > 0) totals.push({ label: "Refunded so far", amount: order.amountRefunded });
  return {
    type: "items",
    title,
    currency: order.currency,
    lines: order.items.map((item) => ({ ...item, amount: multiply(item.unitPrice, item.quantity) })),
    totals,
  };
}

export const shippingAddress = (order: OrderForEmail): Block => ({ type: "address", title: "Shipping to", address: order.shipping });

export function renderMessage(shop: Shop, message: Message): EmailContent {
  const subject = oneLine(message.subject);
  return { subject, html: htmlDocument(shop, { ...message, subject }), text: textDocument(shop, message) };
}

// ---- HTML ----

const FONT = "font-family: Helvetica, Arial, sans-serif;";
const TEXT = `${FONT} font-size: 15px; line-height: 22px; color: #1f2933;`;
const MUTED = `${FONT} font-size: 13px; line-height: 19px; color: #52606d;`;
const HEADING = `${FONT} font-size: 16px; line-height: 22px; font-weight: bold; color: #1f2933; margin: 24px 0 8px;`;
const CELL = `${TEXT} padding: 8px 0; border-bottom: 1px solid #e4e7eb; vertical-align: top;`;
const ACCENT = "#1d4e5f";

function htmlDocument(shop: Shop, message: Message): string {
  const body = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="x-apple-disable-message-reformatting" />
        <title>${message.subject}</title>
      </head>
      <body style="margin: 0; padding: 0; background-color: #f5f7fa;">
        <div style="display: none; max-height: 0; overflow: hidden; mso-hide: all;">${message.preview}</div>
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color: #f5f7fa;">
          <tr>
            <td align="center" style="padding: 24px 12px;">
              <table
                role="presentation"
                width="600"
                cellpadding="0"
                cellspacing="0"
                border="0"
                style="width: 100%; max-width: 600px; background-color: #ffffff; border: 1px solid #e4e7eb;"
              >
                <tr>
                  <td
                    style="padding: 20px 32px; background-color: ${ACCENT}; ${FONT} font-size: 20px; line-height: 28px; font-weight: bold; color: #ffffff;"
                  >
                    ${shop.name}
                  </td>
                </tr>
                <tr>
                  <td style="padding: 24px 32px;">
                    ${message.greeting !== null && html`<p style="${TEXT} margin: 0 0 16px;">${message.greeting}</p>`}
                    ${message.blocks.map(blockHtml)}
                  </td>
                </tr>
                <tr>
                  <td style="padding: 16px 32px; border-top: 1px solid #e4e7eb; ${MUTED}">${message.footer}</td>
                </tr>
              </table>
            </td>
          </tr>
        </table>
      </body>
    </html> `;
  return body.toString();
}

function blockHtml(block: Block): SafeHtml {
  switch (block.type) {
    case "paragraph":
      return html`<p style="${TEXT} margin: 0 0 16px;">${block.text}</p>`;
    case "action":
      return actionHtml(block.label, block.url, block.secondary ?? false);
    case "facts":
      return html`<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin: 0 0 16px;">
        ${block.rows.map(
          (row) =>
            html`<tr>
              <td style="${TEXT} padding: 2px 16px 2px 0; color: #52606d; vertical-align: top; white-space: nowrap;">${row.label}</td>
              <td style="${TEXT} padding: 2px 0; vertical-align: top; word-break: break-word;">${row.value}</td>
            </tr>`,
        )}
      </table>`;
    case "items":
      return itemsHtml(block);
    case "address":
      return html`<p style="${HEADING}">${block.title}</p>
        <p style="${TEXT} margin: 0 0 16px;">${addressLines(block.address).map((line, i) => html`${i > 0 && html`<br />`}${line}`)}</p>`;
    case "table":
      return html`<p style="${HEADING}">${block.title}</p>
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin: 0 0 16px;">
          <tr>
            ${block.columns.map((column) => html`<th align="${column.numeric ? "right" : "left"}" style="${MUTED} padding: 4px 8px 4px 0; border-bottom: 1px solid #cbd2d9;">${column.label}</th>`)}
          </tr>
          ${block.rows.map(
            (row) =>
              html`<tr>
                ${row.map((cell, i) => html`<td align="${block.columns[i]?.numeric ? "right" : "left"}" style="${CELL} padding-right: 8px;">${cell}</td>`)}
              </tr>`,
          )}
        </table>`;
  }
}

function actionHtml(label: string, url: string, secondary: boolean): SafeHtml {
  const href = linkableUrl(url);
  if (href === null) return html`<p style="${TEXT} margin: 0 0 16px;">${label}: ${url}</p>`;
  if (secondary)
    return html`<p style="${TEXT} margin: 0 0 16px;">
      <a href="${href}" style="color: ${ACCENT}; text-decoration: underline;">${label}</a>
    </p>`;
  return html`<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin: 8px 0 24px;">
    <tr>
      <td style="background-color: ${ACCENT}; border-radius: 4px;">
        <a
          href="${href}"
          style="display: inline-block; padding: 12px 24px; ${FONT} font-size: 16px; line-height: 20px; font-weight: bold; color: #ffffff; text-decoration: none;"
          >${label}</a
        >
      </td>
    </tr>
  </table>`;
}

function itemsHtml(block: Extract<Block, { type: "items" }>): SafeHtml {
  const { currency } = block;
  return html`<p style="${HEADING}">${block.title}</p>
    <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin: 0 0 16px;">
      ${block.lines.map(
        (line) =>
          html`<tr>
            <td style="${CELL}">
              <strong>${line.name}</strong>
              ${line.options && html`<br /><span style="${MUTED}">${line.options}</span>`}
            </td>
            <td align="right" style="${CELL} padding-left: 12px; white-space: nowrap;">× ${line.quantity}</td>
            ${currency !== null && html`<td align="right" style="${CELL} padding-left: 12px; white-space: nowrap;">${line.amount !== null && money(line.amount, currency)}</td>`}
          </tr>`,
      )}
      ${
        currency !== null &&
        block.totals.map(
          (total) =>
            html`<tr>
              <td colspan="2" align="right" style="${totalStyle(total)} padding: 4px 0;">${total.label}</td>
              <td align="right" style="${totalStyle(total)} padding: 4px 0 4px 12px; white-space: nowrap;">
                ${money(total.amount, currency)}
              </td>
            </tr>`,
        )
      }
    </table>`;
}

/** The total in bold; an included tax (not part of the sum) in the muted style. */
function totalStyle(total: TotalLine): string {
  if (total.muted) return MUTED;
  return total.strong ? `${TEXT} font-weight: bold;` : TEXT;
}

function addressLines(address: ShippingAddress): string[] {
  const cityLine = [address.city, address.state].filter(Boolean).join(", ") + (address.postalCode ? ` ${address.postalCode}` : "");
  return [address.name, address.line1, address.line2, cityLine, countryName(address.country)].filter((line): line is string =>
    Boolean(line),
  );
}

// ---- Plain text ----

function textDocument(shop: Shop, message: Message): string {
  const sections = [
    shop.name,
    ...(message.greeting !== null ? [message.greeting] : []),
    ...message.blocks.map(blockText),
    "--",
    message.footer,
  ];
  return sections.join("\n\n") + "\n";
}

/** Rows of [left, right], the left column padded so the right one lines up, right-aligned. */
function aligned(rows: Array<[string, string]>, indent = "  "): string[] {
  const left = Math.max(0, ...rows.map(([l]) => l.length));
  const right = Math.max(0, ...rows.map(([, r]) => r.length));
  return rows.map(([l, r]) => (r ? `${indent}${l.padEnd(left)}   ${r.padStart(right)}` : `${indent}${l}`).trimEnd());
}

function blockText(block: Block): string {
  switch (block.type) {
    case "paragraph":
      return block.text;
    case "action":
      return `${block.label}:\n${block.url}`;
    case "facts": {
      const width = Math.max(...block.rows.map((row) => row.label.length + 1));
      return block.rows.map((row) => `${`${row.label}:`.padEnd(width)} ${row.value}`).join("\n");
    }
    case "items": {
      const { currency } = block;
      const lines: Array<[string, string]> = block.lines.map((line) => [
        `${line.quantity} × ${variantName(line.name, line.options)}`,
        currency !== null && line.amount !== null ? money(line.amount, currency) : "",
      ]);
      const totals: Array<[string, string]> =
        currency === null ? [] : block.totals.map((total) => [total.label, money(total.amount, currency)]);
      const rows = aligned([...lines, ...totals]);
      const rule = `  ${"-".repeat(Math.max(...rows.map((row) => row.length)) - 2)}`;
      return [block.title, ...rows.slice(0, lines.length), ...(totals.length > 0 ? [rule, ...rows.slice(lines.length)] : [])].join("\n");
    }
    case "address":
      return [block.title, ...addressLines(block.address).map((line) => `  ${line}`)].join("\n");
    case "table": {
      const widths = block.columns.map((column, i) => Math.max(column.label.length, ...block.rows.map((row) => (row[i] ?? "").length)));
      const line = (cells: string[]) =>
        `  ${cells.map((cell, i) => (block.columns[i]?.numeric ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join("   ")}`.trimEnd();
      return [block.title, line(block.columns.map((column) => column.label)), ...block.rows.map(line)].join("\n");
    }
  }
}
