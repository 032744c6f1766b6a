package io.cartola.callback;

/** A callback refused before anything is stored; {@code status} is the HTTP status to answer. */
public class CallbackRejectedException extends RuntimeException {

    private final int status;

    public CallbackRejectedException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
