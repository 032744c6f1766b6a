package io.cartola.khipu;

import io.cartola.khipu.model.Envelope;

/**
 * What Khipu answered: the HTTP status, the exact bytes, the envelope read from them (a 200) and
 * the operation id (a 202 may carry only that).
 */
public record KhipuReply(int status, byte[] body, Envelope envelope, String operationId) {

    public boolean accepted() {
        return status == 202;
    }
}
