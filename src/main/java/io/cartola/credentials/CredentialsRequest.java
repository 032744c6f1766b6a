package io.cartola.credentials;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the credentials function is asked: {@code register} (add or replace an account's access token),
 * {@code revoke} (delete it; the account then uses the deployment's credential) or {@code status}.
 */
@RegisterForReflection
@com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = CredentialsRequest.Reader.class)
public record CredentialsRequest(String action, String account, String accessToken) {

    /** Without the token, so that no log line can print it. */
    @Override
    public String toString() {
        return "CredentialsRequest[action=" + action + ", account=" + io.cartola.records.Accounts.mask(account) + "]";
    }

    /**
     * Reads the request without ever repeating it: Jackson's own messages quote the text they could not parse
     * ("Unrecognized token '...'"), which may be an access token.
     */
    @RegisterForReflection
    public static class Reader extends com.fasterxml.jackson.databind.deser.std.StdDeserializer<CredentialsRequest> {

        public Reader() {
            super(CredentialsRequest.class);
        }

        @Override
        public CredentialsRequest deserialize(com.fasterxml.jackson.core.JsonParser p,
                com.fasterxml.jackson.databind.DeserializationContext ctxt) throws java.io.IOException {
            com.fasterxml.jackson.databind.JsonNode body;
            try {
                body = ctxt.readTree(p);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                var at = e.getLocation();
                throw new InvalidCredentialsRequestException("body: not valid JSON" + (at == null ? "" : " at line " + at.getLineNr()
                        + ", column " + at.getColumnNr()) + " (not repeated here: it may hold an access token)");
            }
            if (body == null || !body.isObject()) {
                return null;
            }
            return new CredentialsRequest(text(body, "action"), text(body, "account"), text(body, "accessToken"));
        }

        private static String text(com.fasterxml.jackson.databind.JsonNode body, String field) {
            com.fasterxml.jackson.databind.JsonNode value = body.get(field);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isTextual()) {
                throw new InvalidCredentialsRequestException(field + ": must be a string");
            }
            return value.asText();
        }
    }
}
