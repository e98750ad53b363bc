"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, type ReactNode } from "react";
import type { CartSnapshot } from "@/lib/cart/store";
import type { CartView } from "@/lib/cart/rules";

// Client-side mirror of the cart. `cart` is always the last state the server returned (the authority);
// `pendingAdds` counts units clicked but not yet confirmed, shown optimistically in the badge. Pages are
// static, so the first state comes from GET /api/cart once per page load (client navigations keep it);
// until then `cart` is null and the badge shows that the count is not known yet, never a wrong one.
// Before the first add the browser gets an open cart from POST /api/cart (ensureCart), so no add has to set
// the cookie.

type State = { cart: CartView | null; pendingAdds: number };
type Action = { type: "seed"; cart: CartView } | { type: "server"; cart: CartView } | { type: "pending"; delta: number };

async function fetchSnapshot(init?: RequestInit): Promise<CartSnapshot | null> {
  const response = await fetch("/api/cart", { cache: "no-store", ...init });
  return response.ok ? ((await response.json()) as CartSnapshot) : null;
}

function reducer(state: State, action: Action): State {
  switch (action.type) {
    case "seed":
      // A server render that happened before our latest action result must not overwrite it.
      return state.cart ? state : { ...state, cart: action.cart };
    case "server":
      return { ...state, cart: action.cart };
    case "pending":
      return { ...state, pendingAdds: Math.max(0, state.pendingAdds + action.delta) };
  }
}

type CartContextValue = {
  cart: CartView | null;
  pendingAdds: number;
  /** Units of a product the server last reported in the cart. */
  quantityOf: (variantId: string) => number;
  replace: (cart: CartView) => void;
  addPending: (units: number) => void;
  /** Applies an action's outcome: units leave "pending" and, on success, the server's cart replaces ours. */
  settle: (units: number, cart: CartView | null) => void;
  /** Resolves once the browser holds an open cart's cookie (or it could not get one: the add then makes it). */
  ensureCart: () => Promise<void>;
};

const CartContext = createContext<CartContextValue | null>(null);

export function CartProvider({ children }: { children: ReactNode }) {
  const [state, dispatch] = useReducer(reducer, { cart: null, pendingAdds: 0 });
  // Whether the cookie names an open cart: unknown (null) until the first snapshot; one POST at a time.
  const hasCart = useRef<boolean | null>(null);
  const opening = useRef<Promise<void> | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    fetchSnapshot({ signal: controller.signal })
      .then((snapshot) => {
        if (!snapshot) return;
        hasCart.current = snapshot.open;
        dispatch({ type: "seed", cart: snapshot.cart });
      })
      // Offline or the shop unreachable: the badge keeps saying it does not know.
      .catch(() => {});
    return () => controller.abort();
  }, []);
  const ensureCart = useCallback(async () => {
    if (hasCart.current) return;
    opening.current ??= fetchSnapshot({ method: "POST" })
      .then((snapshot) => {
        if (snapshot?.open) hasCart.current = true;
      })
      .catch(() => {})
      .finally(() => {
        opening.current = null;
      });
    await opening.current;
  }, []);
  const replace = useCallback((cart: CartView) => dispatch({ type: "server", cart }), []);
  const addPending = useCallback((units: number) => dispatch({ type: "pending", delta: units }), []);
  const settle = useCallback((units: number, cart: CartView | null) => {
    if (cart) dispatch({ type: "server", cart });
    dispatch({ type: "pending", delta: -units });
  }, []);
  const value = useMemo<CartContextValue>(
    () => ({
      cart: state.cart,
      pendingAdds: state.pendingAdds,
      quantityOf: (variantId) => state.cart?.lines.find((line) => line.variantId === variantId)?.quantity ?? 0,
      replace,
      addPending,
      settle,
      ensureCart,
    }),
    [state, replace, addPending, settle, ensureCart],
  );
  return <CartContext.Provider value={value}>{children}</CartContext.Provider>;
}

export function useCart(): CartContextValue {
  const context = useContext(CartContext);
  if (!context) throw new Error("useCart must be used inside <CartProvider>");
  return context;
}
