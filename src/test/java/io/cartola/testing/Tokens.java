package io.cartola.testing;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import io.cartola.callback.CallbackToken;
import io.cartola.records.AccountRequest;
import io.cartola.records.Mode;
import io.cartola.records.OperationLog;
import io.cartola.records.TransactionView;
import io.cartola.storage.ObjectStore;
import io.cartola.storage.S3ObjectStore;

/**
 * Signs callback tokens as fetch does, with the key the test applications are given, after recording
 * the request in the store as fetch does before asking Khipu (the webhook finds the account there).
 */
public final class Tokens {

    public static final ZoneId ZONE = ZoneId.of("America/Santiago");

    private Tokens() {
    }

    public static CallbackToken signer() {
        return new CallbackToken(FetchProfile.CALLBACK_SECRET, Duration.ofHours(24), Clock.systemUTC());
    }

    /** A request for {@code account} made now, recorded in the shared test bucket; returns its token. */
    public static String requested(String account) {
        return requested(MotoServer.get().endpoint(), account, Instant.now());
    }

    public static String requested(URI s3, String account, Instant at) {
        return requested(new S3ObjectStore(S3Objects.client(s3), MotoServer.BUCKET), account, at);
    }

    public static String requested(ObjectStore store, String account, Instant at) {
        return requested(signer(), store, account, at);
    }

    public static String requested(CallbackToken tokens, ObjectStore store, String account, Instant at) {
        AccountRequest request = new AccountRequest("btgpactual.cl", account, tokens.newRequestId(), at,
                AccountRequest.dayOf(at, ZONE), Mode.async);
        var mapper = Mappers.quarkusLike();
        new OperationLog(store, new TransactionView(mapper, store), mapper, Clock.systemUTC()).requested(request);
        return tokens.issue(request.requestId(), at);
    }
}
