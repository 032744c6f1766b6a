package io.cartola.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * cartola's settings. The names are a user-facing contract: each is also the environment variable
 * Quarkus derives from it ({@code cartola.khipu.api-key} is {@code CARTOLA_KHIPU_API_KEY}).
 */
@ConfigMapping(prefix = "cartola")
public interface CartolaConfig {

    Khipu khipu();

    Callback callback();

    /** Accounts fetched when an invocation names none. */
    Optional<List<String>> accounts();

    /** Where results go: {@code s3} (production) or {@code file} (the local default). */
    @WithDefault("file")
    StorageKind storage();

    S3 s3();

    File file();

    Fetch fetch();

    Secrets secrets();

    /** The business day of a snapshot, for the {@code date=} partitions. */
    @WithDefault("America/Santiago")
    ZoneId zone();

    enum StorageKind {
        s3,
        file
    }

    interface Khipu {
        @WithDefault("https://api.khipu.com")
        URI url();

        Optional<String> apiKey();

        Optional<String> bearerToken();

        /** A Secrets Manager secret holding the API key or bearer token, read at start (see SecretsManagerConfigSourceFactory). */
        Optional<String> secretArn();

        /** The institution in Khipu's path and in the storage keys. */
        @WithDefault("btgpactual.cl")
        String institution();
    }

    interface Callback {
        /** The webhook's public URL (the Lambda Function URL); cartola appends the signed token. */
        Optional<URI> url();

        /** HMAC-SHA256 key signing the callback token; at least 32 characters. */
        Optional<String> secret();

        /** A Secrets Manager secret holding the signing key, read at start. */
        Optional<String> secretArn();

        /** How long a callback token stays valid after fetch issued it. */
        @WithDefault("PT24H")
        Duration maxAge();

        /** Larger callback bodies are refused with 413 (a Function URL accepts at most 6 MB). */
        @WithDefault("6291456")
        int maxBodyBytes();
    }

    interface S3 {
        Optional<String> bucket();
    }

    interface File {
        @WithDefault("cartola-data")
        Path dir();
    }

    interface Secrets {
        /** Another Secrets Manager endpoint (tests, local stand-ins). */
        Optional<URI> endpointOverride();
    }

    interface Fetch {
        /** Accounts fetched at the same time. */
        @WithDefault("8")
        int concurrency();

        /** Accounts accepted in one invocation. */
        @WithDefault("1000")
        int maxAccounts();
    }
}
