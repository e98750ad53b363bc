"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, type ReactNode } from "react";
import type { CartView } from "@/lib/cart/rules";

// Client-side mirror of the cart. `cart` is always the last state the server returned (the authority);
// `pendingAdds` counts units clicked but not yet confirmed, shown optimistically in the badge. Pages are
// static, so the first state comes from GET /api/cart once per page load (client navigations keep it);
// until then `cart` is null and the badge shows that the count is not known yet, never a wrong one.

type State = { cart: CartView | null; pendingAdds: number };
type Action = { type: "seed"; cart: CartView } | { type: "server"; cart: CartView } | { type: "pending"; delta: number };

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
  quantityOf: (productId: string) => number;
  replace: (cart: CartView) => void;
  addPending: (units: number) => void;
  /** Applies an action's outcome: units leave "pending" and, on success, the server's cart replaces ours. */
  settle: (units: number, cart: CartView | null) => void;
};

const CartContext = createContext<CartContextValue | null>(null);

export function CartProvider({ children }: { children: ReactNode }) {
  const [state, dispatch] = useReducer(reducer, { cart: null, pendingAdds: 0 });
  useEffect(() => {
    const controller = new AbortController();
    fetch("/api/cart", { signal: controller.signal, cache: "no-store" })
      .then((response) => (response.ok ? (response.json() as Promise<CartView>) : null))
      .then((cart) => cart && dispatch({ type: "seed", cart }))
      // Offline or the shop unreachable: the badge keeps saying it does not know.
      .catch(() => {});
    return () => controller.abort();
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
      quantityOf: (productId) => state.cart?.lines.find((line) => line.productId === productId)?.quantity ?? 0,
      replace,
      addPending,
      settle,
    }),
    [state, replace, addPending, settle],
  );
  return <CartContext.Provider value={value}>{children}</CartContext.Provider>;
}

export function useCart(): CartContextValue {
  const context = useContext(CartContext);
  if (!context) throw new Error("useCart must be used inside <CartProvider>");
  return context;
}
