import "server-only";
import { z } from "zod";

// One place that reads process.env. Each getter validates its group once and names the variable that is wrong.

const databaseSchema = z.object({
  DATABASE_URL: z
    .string({ error: "DATABASE_URL is not set: start the shop with `npm run dev` (embedded PostgreSQL) or set it to your server's URL" })
    .url("DATABASE_URL must be a postgres:// URL"),
});

const siteSchema = z.object({
  // Absolute origin used for canonical URLs, the sitemap and Stripe's return_url.
  APP_URL: z.string().url("APP_URL must be an absolute URL such as https://shop.example.com").default("http://localhost:3000"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

function parseOnce<T extends z.ZodType>(schema: T): () => z.infer<T> {
  let cached: z.infer<T> | undefined;
  return () => {
    if (cached) return cached;
    const result = schema.safeParse(process.env);
    if (!result.success) {
      const problems = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
      throw new Error(`Invalid environment:\n${problems}`);
    }
    cached = result.data;
    return cached;
  };
}

export const databaseEnv = parseOnce(databaseSchema);
export const siteEnv = parseOnce(siteSchema);
