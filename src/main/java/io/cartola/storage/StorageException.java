package io.cartola.storage;

import java.util.regex.Pattern;

/** Storage could not be reached or refused a write; the operation may be retried. */
public class StorageException extends RuntimeException {

    // keys hold account numbers (account=000011887755): messages end up in logs, so mask them
    private static final Pattern ACCOUNT = Pattern.compile("account=[^/]*([^/]{4})");

    public StorageException(String message, Throwable cause) {
        super(ACCOUNT.matcher(message).replaceAll("account=****$1"), cause);
    }
}
