// Types of ./tag-store.mjs for the TypeScript code and tests that import it.
export function startTagSync(): void;
export function refreshTags(): Promise<void>;
export function isExpired(tags: readonly string[], timestamp: number): boolean;
export function latestExpiration(tags: readonly string[]): number;
export function invalidateTags(tags: readonly string[]): Promise<void>;
