// The cart: its pure rules (rules.ts) and its storage (store.ts). Importing from here brings in the
// database; code that needs only the rules or the types imports "@/lib/cart/rules".
export * from "@/lib/cart/rules";
export * from "@/lib/cart/store";
