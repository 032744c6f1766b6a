package io.cartola.testing;

/** The application as the webhook Lambda runs it, with S3 on moto. */
public class WebhookProfile extends FetchProfile {

    @Override
    protected String export() {
        return "webhook";
    }
}
