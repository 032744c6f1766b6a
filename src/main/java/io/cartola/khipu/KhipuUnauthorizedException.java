package io.cartola.khipu;

/** Khipu answered 401: it rejected the credential the request carried. {@link KhipuGateway} says which one. */
public class KhipuUnauthorizedException extends KhipuException {

    public KhipuUnauthorizedException() {
        super("HTTP_401", "Khipu rejected the credential (HTTP 401)");
    }
}
