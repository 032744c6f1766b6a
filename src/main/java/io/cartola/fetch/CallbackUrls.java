package io.cartola.fetch;

import java.net.URI;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.cartola.callback.CallbackToken;
import io.cartola.config.CartolaConfig;
import io.cartola.records.Accounts;

/** The signed CallbackUrl of an asynchronous request: the webhook's URL with the request's token. */
@ApplicationScoped
public class CallbackUrls {

    /** Khipu's limit for {@code CallbackUrl}. */
    static final int MAX_LENGTH = 255;

    private final CartolaConfig config;
    private final CallbackToken tokens;

    public CallbackUrls(CartolaConfig config, CallbackToken tokens) {
        this.config = config;
        this.tokens = tokens;
    }

    String of(String requestId, String account, Instant issuedAt) {
        URI base = config.callback().url()
                .orElseThrow(() -> new InvalidInputException("mode: async needs cartola.callback.url"));
        String url = base.toString();
        return url + (base.getRawQuery() == null ? "?" : "&") + "t=" + tokens.issue(requestId, account, issuedAt);
    }

    /** Refuses, before any request, a webhook URL too long for Khipu once the longest token is added. */
    void checkLength() {
        String longest = of(tokens.newRequestId(), "9".repeat(Accounts.MAX_LENGTH), Instant.ofEpochMilli(999_999_999_999_999L));
        if (longest.length() > MAX_LENGTH) {
            throw new InvalidInputException("cartola.callback.url: too long, with its token the CallbackUrl can reach "
                    + longest.length() + " characters and Khipu accepts at most " + MAX_LENGTH);
        }
    }
}
