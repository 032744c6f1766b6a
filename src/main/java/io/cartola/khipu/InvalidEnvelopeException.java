package io.cartola.khipu;

/** A body that is not a Khipu envelope; the message names the field and the rule. */
public class InvalidEnvelopeException extends RuntimeException {
    public InvalidEnvelopeException(String message) {
        super(message, null, false, false);
    }
}
