package io.cartola.khipu.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Khipu's response envelope; the same shape is POSTed to the CallbackUrl. */
@RegisterForReflection
public record Envelope(
        @JsonProperty("OperationId") String operationId,
        @JsonProperty("Status") String status,
        @JsonProperty("Data") Data data,
        @JsonProperty("AdditionalInformation") String additionalInformation,
        @JsonProperty("Error") KhipuError error,
        // undocumented type; kept as-is
        @JsonProperty("LifeSpan") JsonNode lifeSpan) {

    public static final String OK = "OK";
    public static final String ERROR = "ERROR";

    public boolean ok() {
        return OK.equals(status);
    }

    public List<Transaction> transactions() {
        return data == null || data.transaction() == null ? List.of() : data.transaction();
    }

    @RegisterForReflection
    public record Data(@JsonProperty("Transaction") List<Transaction> transaction) {
    }
}
