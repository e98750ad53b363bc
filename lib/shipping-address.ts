// An order's shipping address: the Order row keeps it in seven `shipping…` columns; everything that shows or
// sends it (the PaymentIntent, emails, the status page) takes it as one value, read here. Pure.

export type ShippingAddress = {
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  state: string | null;
  postalCode: string;
  country: string;
};

/** The Order columns the address is stored in. */
export type ShippingColumns = {
  shippingName: string;
  shippingLine1: string;
  shippingLine2: string | null;
  shippingCity: string;
  shippingState: string | null;
  shippingPostalCode: string;
  shippingCountry: string;
};

export function shippingAddressOf(order: ShippingColumns): ShippingAddress {
  return {
    name: order.shippingName,
    line1: order.shippingLine1,
    line2: order.shippingLine2,
    city: order.shippingCity,
    state: order.shippingState,
    postalCode: order.shippingPostalCode,
    country: order.shippingCountry,
  };
}
