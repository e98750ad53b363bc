// The local mail catcher as the e2e tests see it: what the shop sent, waited for by recipient and subject, and
// its SMTP outage switch. `npm test` starts the catcher with the stack and passes MAIL_CATCHER_URL; against a
// real SMTP server (SMTP_URL set) there is no catcher, and tests that read mail skip themselves
// (`test.skip(!process.env.MAIL_CATCHER_URL, "needs the local mail catcher")`).
import { MailCatcherClient, type MailQuery } from "../../scripts/mail/client";
import { linksIn, type CaughtMessage } from "../../scripts/mail/message";

export function mailbox() {
  const url = process.env.MAIL_CATCHER_URL;
  if (!url)
    throw new Error("MAIL_CATCHER_URL is not set: this test needs the local mail catcher (npm test starts it unless SMTP_URL is set)");
  const client = new MailCatcherClient(url);
  return {
    /** The newest message matching, polled until it arrives (default 20 s). */
    waitForMail: (query: MailQuery): Promise<CaughtMessage> => client.waitFor(query),
    /** Everything caught so far, newest first. */
    allMail: (): Promise<CaughtMessage[]> => client.all(),
    /** The hrefs of the message's HTML links, in order, each once. */
    linksIn,
    clearMail: (): Promise<void> => client.clear(),
    /** Refuses every message for `ms` (SMTP 421), as a mail server that is down. */
    smtpOutage: async (ms: number): Promise<void> => void (await client.outage(ms)),
  };
}
