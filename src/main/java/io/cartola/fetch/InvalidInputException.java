package io.cartola.fetch;

/** An invocation that cannot be served as given; the message names the field and the rule. */
public class InvalidInputException extends IllegalArgumentException {
    public InvalidInputException(String message) {
        super(message);
    }
}
