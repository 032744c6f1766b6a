package io.cartola.khipu;

/** A Khipu call that failed for good; {@code code} is what gets recorded (e.g. HTTP_401, TIMEOUT). */
public class KhipuException extends RuntimeException {

    private final String code;

    public KhipuException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
