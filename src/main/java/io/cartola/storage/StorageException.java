package io.cartola.storage;

/** Storage could not be reached or refused a write; the operation may be retried. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
