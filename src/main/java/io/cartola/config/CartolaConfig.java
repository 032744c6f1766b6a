package io.cartola.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * cartola's settings. The names are a user-facing contract: each is also the environment variable
 * Quarkus derives from it ({@code cartola.khipu.api-key} is {@code CARTOLA_KHIPU_API_KEY}).
 */
@ConfigMapping(prefix = "cartola")
public interface CartolaConfig {

    /** The rule for {@code cartola.s3.bucket}, checked at start and where the store is made. */
    String BUCKET_REQUIRED = "cartola.s3.bucket is required when cartola.storage=s3";
    /** The rule for {@code cartola.credentials.bucket}, likewise. */
    String CREDENTIALS_BUCKET_REQUIRED = "cartola.credentials.bucket is required when cartola.storage=s3 "
            + "(the bucket, encrypted with its own KMS key, that holds the accounts' access tokens)";

    Khipu khipu();

    Callback callback();

    /** Accounts fetched when an invocation names none (small setups; see {@link #accountsKey()}). */
    Optional<List<String>> accounts();

    /**
     * The key of a text object in the store (an S3 key in the bucket, or a path under the file
     * store's folder) listing one account number per line; when set, it is the configured list.
     */
    @WithName("accounts.key")
    Optional<String> accountsKey();

    Metrics metrics();

    /** Where results go: {@code s3} (production) or {@code file} (the local default). */
    @WithDefault("file")
    StorageKind storage();

    S3 s3();

    File file();

    Credentials credentials();

    Fetch fetch();

    Queue queue();

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

        /**
         * OAuth 2.0 client credentials: with {@code client-id}, {@code client-secret} and {@code token-url},
         * cartola obtains Khipu's token itself and renews it before it expires (Quarkus' OIDC client).
         */
        Optional<String> clientId();

        Optional<String> clientSecret();

        /** Khipu's token endpoint for the client-credentials grant. */
        Optional<URI> tokenUrl();

        /**
         * A Secrets Manager secret holding the API key, the bearer token or the client credentials, read at
         * start (see SecretsManagerConfigSourceFactory).
         */
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

        /**
         * An accepted asynchronous request whose callback has not arrived this long after it was
         * made is recorded as lost, and the account is then fetched synchronously.
         */
        @WithDefault("PT20M")
        Duration deadline();

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

    interface Credentials {
        /**
         * The S3 bucket of the accounts' own access tokens (apart from the data, under a KMS key only the
         * functions may use); with the file store they are kept under {@code credentials/} in its folder.
         */
        Optional<String> bucket();
    }

    interface File {
        @WithDefault("cartola-data")
        Path dir();
    }

    interface Metrics {
        /** CloudWatch namespace of the Embedded Metric Format documents written to standard output. */
        @WithDefault("cartola")
        String namespace();

        @WithDefault("true")
        boolean enabled();
    }

    interface Queue {
        /**
         * An SQS queue: when set, fetch plans (one message per account) and {@code fetch-worker}, triggered by
         * the queue, fetches each account; without it fetch does the work itself.
         */
        Optional<URI> url();

        /** Planning sends this many batches of ten at once. */
        @WithDefault("8")
        int senders();
    }

    interface Secrets {
        /** Another Secrets Manager endpoint (tests, local stand-ins). */
        Optional<URI> endpointOverride();
    }

    interface Fetch {
        /** Accounts fetched at the same time. */
        @WithDefault("8")
        int concurrency();

        /** A safety limit: accounts past it in one run are reported as skipped, never silently dropped. */
        @WithDefault("100000")
        int maxAccounts();

        /**
         * The function's timeout (Lambda's, set by the template). A run stops starting new accounts
         * when less than 3/5 of it, at most {@link #accountBudget()}, remains, and reports the rest as
         * skipped (fetch) or puts them back on the queue (fetch-worker).
         */
        Optional<Duration> timeout();

        /**
         * The longest one account may take: Khipu's retries (2 minutes at most), the last attempt's
         * timeouts, storage. Change it only with those settings.
         */
        @WithDefault("PT180S")
        Duration accountBudget();
    }

    Rebuild rebuild();

    interface Rebuild {
        /**
         * The rebuild function's timeout (Lambda's, set by the template). A run stops starting new accounts
         * when less than 1/5 of it, at most 60 s, remains, and answers where to continue.
         */
        Optional<Duration> timeout();
    }

    Days days();

    interface Days {
        /**
         * A snapshot requested at or after this time of day (in {@code cartola.zone}) closes its day: the
         * day-end run's (23:45 by default) does, and so does any run this late.
         */
        @WithDefault("23:00")
        java.time.LocalTime closedAfter();
    }
}
