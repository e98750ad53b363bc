import type { Metadata } from "next";
import type { ReactNode } from "react";

// The admin area's frame. Access is checked by every page, route handler and action on its own.
export const metadata: Metadata = { title: { default: "Admin", template: "%s | Admin" }, robots: { index: false, follow: false } };

export default function AdminLayout({ children }: { children: ReactNode }) {
  return <div className="space-y-6">{children}</div>;
}
