package io.cartola.credentials;

/** A credentials request that breaks a rule; the message names the field and the rule, never the token. */
public class InvalidCredentialsRequestException extends RuntimeException {
    public InvalidCredentialsRequestException(String message) {
        super(message, null, false, false);
    }
}
