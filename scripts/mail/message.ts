// What the mail catcher's API answers (scripts/mail/catcher.ts) and how to read a message's links, shared by its
// clients: the inbox page, the e2e helpers and the chaos run read exactly what the catcher writes.

/** One received message, parsed. */
export type CaughtMessage = {
  /** The catcher's own id, for /api/messages/:id and the inbox's links. */
  id: string;
  /** The Message-ID header as sent, with its angle brackets ("<…@…>"); null when the message had none. */
  messageId: string | null;
  /** The From header as mailparser writes it, e.g. `"Tidewater Goods" <orders@tidewater.example>`. */
  from: string;
  /** The envelope recipients (RCPT TO): who it was delivered to, Bcc included. */
  to: string[];
  /** The envelope sender (MAIL FROM). */
  envelopeFrom: string | null;
  subject: string;
  /** ISO time from the Date header, or when it arrived if it had none. */
  date: string;
  receivedAt: string;
  /** The plain-text part; null when there is none. */
  text: string | null;
  /** The HTML part; null when there is none. */
  html: string | null;
  /** Every header by its lower-case name; a repeated header's values one per line. */
  headers: Record<string, string>;
  attachments: Array<{ filename: string | null; contentType: string; size: number }>;
};

/** GET /api/outage; `refused` counts the connections and messages refused since the outage began. */
export type OutageState = { on: boolean; until: string | null; refused: number };

/** The hrefs of the message's HTML links, in order, each once, entities decoded; [] without an HTML part. */
export function linksIn(message: Pick<CaughtMessage, "html">): string[] {
  const hrefs = [...(message.html ?? "").matchAll(/<a\b[^>]*?\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi)].map((m) =>
    decodeEntities((m[1] ?? m[2] ?? m[3] ?? "").trim()),
  );
  return [...new Set(hrefs)];
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (entity, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith("#x")) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith("#")) return String.fromCodePoint(Number(lower.slice(1)));
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[lower] ?? entity;
  });
}
