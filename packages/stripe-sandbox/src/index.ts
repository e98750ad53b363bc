// The package's public entry: start a sandbox in-process, and the types of its control endpoints
// (`/_sandbox/faults`, `/_sandbox/deliveries`). Everything else in src/ is internal.
export { startSandbox, type SandboxHandle, type SandboxOptions } from "./server.js";
export { faultsSchema, type Faults } from "./faults.js";
export type { DeliveryAttempt } from "./webhooks.js";
export { signPayload } from "./webhooks.js";
