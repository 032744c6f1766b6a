package io.cartola.khipu.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Body of {@code POST .../transactions}; no {@code CallbackUrl} means a synchronous request. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransactionsRequest(
        @JsonProperty("RequestData") RequestData requestData,
        @JsonProperty("CallbackUrl") String callbackUrl) {

    public static TransactionsRequest of(String accountNumber, String callbackUrl) {
        return new TransactionsRequest(new RequestData(accountNumber), callbackUrl);
    }

    @RegisterForReflection
    public record RequestData(@JsonProperty("AccountNumber") String accountNumber) {
    }
}
