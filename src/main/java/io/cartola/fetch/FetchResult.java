package io.cartola.fetch;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.cartola.records.Mode;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** fetch's answer: one entry per account, in the order asked, with masked account numbers. */
@RegisterForReflection
public record FetchResult(Mode mode, int accepted, int stored, int failed, List<AccountResult> accounts) {

    static FetchResult of(Mode mode, List<AccountResult> accounts) {
        return new FetchResult(mode,
                count(accounts, Outcome.ACCEPTED), count(accounts, Outcome.STORED), count(accounts, Outcome.FAILED),
                accounts);
    }

    private static int count(List<AccountResult> accounts, Outcome outcome) {
        return (int) accounts.stream().filter(a -> a.outcome() == outcome).count();
    }

    public enum Outcome {
        /** Khipu accepted an asynchronous request (202); the webhook will store the result. */
        ACCEPTED,
        /** The result was stored. */
        STORED,
        /** Khipu reported an error or could not be served; see errorCode and errorType. */
        FAILED
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AccountResult(String account, String requestId, String operationId, Outcome outcome,
            Integer transactions, String errorCode, String errorType, String message) {
    }
}
