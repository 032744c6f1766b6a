package io.cartola.ingest;

/** {@code async}: Khipu POSTs the result to the signed CallbackUrl; {@code sync}: it comes in the response. */
public enum Mode {
    async,
    sync;

    static Mode parse(String value) {
        if (value == null || value.isEmpty()) {
            return async;
        }
        for (Mode mode : values()) {
            if (mode.name().equals(value)) {
                return mode;
            }
        }
        throw new InvalidInputException("mode: must be \"async\" or \"sync\", got \"" + Accounts.printable(value, 20) + "\"");
    }
}
