package io.cartola.records;

/** {@code async}: Khipu POSTs the result to the signed CallbackUrl; {@code sync}: it comes in the response. */
public enum Mode {
    async,
    sync
}
