// Event registry behind element.on/once/off and elements.on, with Stripe.js semantics:
// off(type, handler) removes that handler, off(type) removes all of that type.
export type Handler = (event: never) => unknown;

export class Emitter {
  private readonly handlers = new Map<string, Set<Handler>>();

  on(type: string, handler: Handler): void {
    const set = this.handlers.get(type) ?? new Set<Handler>();
    set.add(handler);
    this.handlers.set(type, set);
  }

  once(type: string, handler: Handler): void {
    const wrapper = ((event: never) => {
      this.off(type, wrapper);
      return handler(event);
    }) as Handler;
    this.on(type, wrapper);
  }

  off(type: string, handler?: Handler): void {
    if (handler) this.handlers.get(type)?.delete(handler);
    else this.handlers.delete(type);
  }

  emit(type: string, event: unknown): void {
    for (const handler of [...(this.handlers.get(type) ?? [])]) {
      // A throwing merchant handler must not stop the others, as with DOM events.
      try {
        (handler as (event: unknown) => unknown)(event);
      } catch (error) {
        setTimeout(() => {
          throw error;
        });
      }
    }
  }
}
