import "server-only";

// Placeholder: replaced by the webhook inbox work.
export async function startWebhookInbox(): Promise<void> {}
