// `npm run sandbox -- --port N …`: the Stripe sandbox on its own (options: `npm run sandbox -- --help`).
import "@tidewater/stripe-sandbox/cli";
