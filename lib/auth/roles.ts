// Who may do what in /admin. Pure: every page, route handler and server action asks `can(role, permission)`
// on the server; the UI asks the same table only to leave out controls a person could not use anyway.

export const STAFF_ROLES = ["owner", "staff", "viewer"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export type Permission =
  | "admin.read" // the overview, orders, order detail, stock list, reconciliation, the CSV export, audit entries
  | "orders.write" // refund, cancel, repair an order
  | "catalog.write" // stock, products, variants, prices
  | "staff.manage" // invite, cancel invites, change roles, remove staff, end their sessions; read the staff list
  | "account.self"; // one's own account page and password: every role

const GRANTS: Record<StaffRole, ReadonlySet<Permission>> = {
  owner: new Set(["admin.read", "orders.write", "catalog.write", "staff.manage", "account.self"]),
  staff: new Set(["admin.read", "orders.write", "catalog.write", "account.self"]),
  viewer: new Set(["admin.read", "account.self"]),
};

export function can(role: StaffRole, permission: Permission): boolean {
  return GRANTS[role].has(permission);
}

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === "string" && (STAFF_ROLES as readonly string[]).includes(value);
}

export const ROLE_LABELS: Record<StaffRole, string> = {
  owner: "Owner: everything, including staff",
  staff: "Staff: orders, fulfilment and catalog",
  viewer: "Viewer: read only",
};
