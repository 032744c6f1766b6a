package io.cartola.storage;

import java.util.Optional;

/**
 * The little cartola needs from object storage. Every write is all-or-nothing: an object is either
 * complete or absent, never half-written.
 */
public interface ObjectStore {

    /** Writes {@code bytes} only if nothing is stored at {@code key}; false if something already was. */
    boolean create(String key, byte[] bytes, String contentType);

    /**
     * Writes {@code bytes} only if the object is still the version read before ({@code null}: still
     * absent); false if it changed meanwhile, so the caller can read again and merge.
     */
    boolean replace(String key, byte[] bytes, String contentType, String expectedVersion);

    Optional<Stored> read(String key);

    /** Removes the object at {@code key}, if there is one. */
    void delete(String key);

    /** Streams an object too large to hold whole (an account list); empty if absent. The caller closes it. */
    Optional<java.io.InputStream> open(String key);

    /** The objects whose keys start with {@code prefix}, in key order, with when each was last written. */
    java.util.List<Listed> list(String prefix);

    /** The distinct names between {@code prefix} and the next {@code /} of the keys under it, in order (S3's common prefixes). */
    java.util.List<String> folders(String prefix);

    /** A listed object. */
    record Listed(String key, java.time.Instant lastModified) {
    }

    /** An object's bytes and an opaque version for {@link #replace}. */
    record Stored(byte[] bytes, String version) {
    }
}
