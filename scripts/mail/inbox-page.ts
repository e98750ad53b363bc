// The mail catcher's web inbox: plain server-rendered HTML, no script and no external asset, so it works
// offline and under the catcher's strict Content-Security-Policy. A message's HTML part is shown in an
// <iframe sandbox srcdoc>: a mail's script cannot run, submit forms or reach the inbox, and its links open
// in a new tab only.
import { linksIn, type CaughtMessage, type OutageState } from "./message";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const STYLE = `
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem; color: #1c1c1c; background: #fff; }
  h1 { font-size: 1.4rem; margin: 0.5rem 0 1rem; }
  h2 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; }
  a { color: #0b57d0; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
  th { background: #f3f3f3; }
  td.time, td.to { white-space: nowrap; }
  pre { white-space: pre-wrap; word-break: break-word; background: #f6f6f6; padding: 0.75rem; border: 1px solid #ddd; }
  iframe { width: 100%; height: 70vh; border: 1px solid #bbb; background: #fff; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
  dt { font-weight: 600; }
  dd { margin: 0; word-break: break-word; }
  .note { color: #444; }
  .outage { background: #fff4e5; border: 1px solid #b35c00; padding: 0.5rem 0.75rem; }
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escape(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** "2026-11-30 19:04:05" in the machine's local time: the inbox is read on the machine that runs it. */
function time(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  const text = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return `<time datetime="${escape(iso)}">${text}</time>`;
}

export function inboxPage(messages: CaughtMessage[], outage: OutageState): string {
  const banner = outage.on
    ? `<p class="outage" role="status">SMTP outage until ${time(outage.until!)}: every message is refused (${outage.refused} so far).</p>`
    : "";
  const rows = messages
    .map(
      (m) => `<tr>
  <td class="time">${time(m.receivedAt)}</td>
  <td class="to">${escape(m.to.join(", "))}</td>
  <td><a href="/messages/${encodeURIComponent(m.id)}">${escape(m.subject || "(no subject)")}</a></td>
</tr>`,
    )
    .join("\n");
  const list = messages.length
    ? `<table>
<caption class="note">${messages.length} message${messages.length === 1 ? "" : "s"}, newest first</caption>
<thead><tr><th scope="col">Received</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
    : `<p class="note">No mail yet. Every email the shop sends lands here.</p>`;
  return layout(
    `Local inbox (${messages.length})`,
    `<h1>Local inbox</h1>
<p class="note">Mail the shop sent to the local mail catcher; nothing left this machine. <a href="/">Refresh</a> · JSON: <a href="/api/messages">/api/messages</a></p>
${banner}
${list}`,
  );
}

export function messagePage(m: CaughtMessage): string {
  const field = (name: string, value: string) => `<dt>${name}</dt><dd>${value}</dd>`;
  const headers = Object.entries(m.headers)
    .map(([name, value]) => `<tr><th scope="row">${escape(name)}</th><td>${escape(value).replaceAll("\n", "<br>")}</td></tr>`)
    .join("\n");
  const links = linksIn(m);
  const attachments = m.attachments.map((a) => `<li>${escape(a.filename ?? "(unnamed)")} (${escape(a.contentType)}, ${a.size} bytes)</li>`);
  return layout(
    m.subject || "(no subject)",
    `<p><a href="/">← Inbox</a></p>
<h1>${escape(m.subject || "(no subject)")}</h1>
<dl>
${field("From", escape(m.from))}
${field("To", escape(m.to.join(", ")))}
${field("Date", time(m.date))}
${field("Message-ID", escape(m.messageId ?? "(none)"))}
</dl>
<details>
<summary>All headers</summary>
<table><caption class="note">Headers as received</caption><tbody>
${headers}
</tbody></table>
</details>
<h2>HTML part</h2>
${
  m.html
    ? `<iframe title="HTML part of the message" sandbox="allow-popups allow-popups-to-escape-sandbox" srcdoc="${escape(m.html)}"></iframe>`
    : `<p class="note">This message has no HTML part.</p>`
}
${links.length ? `<h2>Links in the HTML part</h2>\n<ul>\n${links.map((href) => `<li>${/^(https?|mailto):/i.test(href) ? `<a href="${escape(href)}" target="_blank" rel="noreferrer">${escape(href)}</a>` : escape(href)}</li>`).join("\n")}\n</ul>` : ""}
<h2>Text part</h2>
${m.text ? `<pre>${escape(m.text)}</pre>` : `<p class="note">This message has no text part.</p>`}
${attachments.length ? `<h2>Attachments</h2>\n<ul>\n${attachments.join("\n")}\n</ul>` : ""}`,
  );
}

export function notFoundPage(): string {
  return layout(
    "Not found",
    `<h1>Not found</h1>\n<p>No such message (the inbox keeps the newest 1,000). <a href="/">Back to the inbox</a></p>`,
  );
}
