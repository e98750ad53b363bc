import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { mailEnv } from "@/lib/env";

// One SMTP transport per process, created on first use. Short timeouts: an SMTP server that is down or hangs
// fails the attempt within seconds, and the job queue tries again later (lib/jobs/send-email.ts).

const cached = globalThis as unknown as { shopMailTransport?: { url: string; transport: Transporter } };

export class MailNotConfiguredError extends Error {
  name = "MailNotConfiguredError";
}

export type OutgoingMail = { to: string; subject: string; html: string; text: string; messageId: string };

/** Hands one message to the SMTP server; resolves once it accepted it, throws when it did not. */
export async function sendMail(mail: OutgoingMail): Promise<void> {
  const { SMTP_URL, MAIL_FROM } = mailEnv();
  if (!SMTP_URL) throw new MailNotConfiguredError("SMTP_URL is not set: the message waits in the outbox until it is");
  if (cached.shopMailTransport?.url !== SMTP_URL) {
    cached.shopMailTransport = {
      url: SMTP_URL,
      transport: nodemailer.createTransport({ url: SMTP_URL, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 10_000 }),
    };
  }
  await cached.shopMailTransport.transport.sendMail({
    from: MAIL_FROM,
    to: mail.to,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    // Fixed when the message was written to the outbox: a resend is recognisably the same message.
    messageId: mail.messageId,
  });
}
