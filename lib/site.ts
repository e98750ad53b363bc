import { siteEnv } from "@/lib/env";

export const SITE_NAME = "Tidewater Goods";

/** Absolute URL on this shop's origin, for sitemaps, canonical links and structured data. */
export function absoluteUrl(path: string): string {
  return new URL(path, siteEnv().APP_URL).toString();
}
