package io.cartola.testing;

import java.time.Instant;

import io.cartola.credentials.AccountTokens;
import io.cartola.storage.S3ObjectStore;

/**
 * Registers accounts' access tokens in moto's credential bucket with cartola's own code, from the test
 * JVM, so that the same tests run against the native executable (which serves one function at a time).
 */
public final class Vault {

    private Vault() {
    }

    public static AccountTokens tokens() {
        return new AccountTokens(new S3ObjectStore(S3Objects.client(), MotoServer.CREDENTIALS_BUCKET), Mappers.quarkusLike(),
                "btgpactual.cl");
    }

    public static void register(String account, String token) {
        tokens().register(account, token, Instant.now());
    }
}
